"""Every declared pack module is thin: it reads report rows, it works nothing out.

The SQL a module holds (every string constant that is not a docstring) only selects
rows: no aggregation, no rule, no raw or ops table, no catalogue lookup; and no module
imports another pack module or the renderer. The relations it names are dbt models,
and the dbt exposures written from the declarations are up to date.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

from onecouncil.packs.declarations import DECLARATIONS

PACK_MODULES = {d.module.rsplit(".", 1)[-1] for d in DECLARATIONS}
BANNED_SQL = ("group by", "count(", "sum(", "max(", "min(", "avg(", "distinct", "case when",
              " over (", "union", "raw.", "ops.", "information_schema", "to_regclass",
              "pg_catalog", "array_position")


def _tree(module: str) -> ast.Module:
    return ast.parse(Path(importlib.util.find_spec(module).origin).read_text(encoding="utf-8"))


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=lambda d: d.name)
def test_the_pack_module_only_selects_report_rows(declaration):
    tree = _tree(declaration.module)
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    sql = " ".join(n.value.lower() for n in ast.walk(tree)
                   if isinstance(n, ast.Constant) and isinstance(n.value, str)
                   and id(n) not in docstrings)
    # report models are named in a select, or passed by name to rows.report_rows
    assert "from reports." in sql or "rpt_" in sql, "no SQL found: the test is blind"
    for banned in BANNED_SQL:
        assert banned not in sql, f"{declaration.module} holds SQL with {banned!r}"


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=lambda d: d.name)
def test_no_pack_module_imports_another_or_the_renderer(declaration):
    own = declaration.module.rsplit(".", 1)[-1]
    forbidden = (PACK_MODULES - {own}) | {"render"}
    for node in ast.walk(_tree(declaration.module)):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert not set(node.module.split(".")) & forbidden, node.module
            assert not {a.name for a in node.names} & forbidden, node.module
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert not set(alias.name.split(".")) & forbidden, alias.name


def test_no_pack_module_reads_raw_or_the_catalogue():
    """The issue's own check: `grep -rn 'raw\\.\\|information_schema' onecouncil/packs`."""
    hits = [f"{p.name}:{i}" for p in Path(importlib.util.find_spec("onecouncil.packs").origin)
            .parent.glob("*.py")
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"raw\.|information_schema", line)]
    assert hits == []


def test_the_relations_each_pack_names_are_dbt_models():
    from onecouncil.packs.exposures import relations_read

    models = {p.stem for p in (Path(__file__).resolve().parents[2] / "dbt" / "models")
              .rglob("*.sql")}
    for declaration in DECLARATIONS:
        missing = set(relations_read(declaration)) - models
        assert not missing, f"{declaration.name} names relations dbt does not build: {missing}"


def test_the_dbt_exposures_are_written_from_the_declarations():
    import yaml

    from onecouncil.packs.exposures import EXPOSURES_FILE, exposures_yaml

    assert EXPOSURES_FILE.read_text(encoding="utf-8") == exposures_yaml(), \
        "run `python -m onecouncil.packs.exposures` and commit the YAML"
    exposures = yaml.safe_load(EXPOSURES_FILE.read_text(encoding="utf-8"))["exposures"]
    assert {e["meta"]["pack"] for e in exposures} == {d.name for d in DECLARATIONS}
    for e in exposures:
        assert e["owner"]["name"] and any("rpt_" in d or "pack_" in d for d in e["depends_on"])
