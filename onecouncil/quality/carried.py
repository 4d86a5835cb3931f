"""Checks of a partial build: run what reads rebuilt data, carry the rest forward.

A transform that rebuilt only some models (onecouncil.transform.selection) runs the dbt
tests of those models (dbt selects them) and the GX suites reading a rebuilt relation.
Every other check's data is unchanged since it last ran, so its latest result is copied
into this run's ops.check_results with `carried_forward_from` naming the run that ran it:
the run's verdict covers every check, and the pack says which results are older.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_RELATION = re.compile(r"\b(staging|intermediate|marts|reports|raw)\.(\w+)\b", re.I)
_BUILT = ("model", "seed", "snapshot")


def rebuilt_relations(run_results_dir: Path) -> set[str]:
    """`schema.name` of every model, seed or snapshot this dbt invocation built."""
    folder = Path(run_results_dir)
    results = json.loads((folder / "run_results.json").read_text())["results"]
    nodes = json.loads((folder / "manifest.json").read_text()).get("nodes", {})
    out = set()
    for r in results:
        node = nodes.get(r["unique_id"])
        if node and node["resource_type"] in _BUILT and r["status"] == "success":
            out.add(f"{node['schema']}.{node.get('alias') or node['name']}".lower())
    return out


def dbt_check_names(run_results_dir: Path) -> dict[str, str]:
    """Every name a dbt test or unit test of the project can have in ops.check_results
    (quality.dbt_results), with its severity now, from the invocation's manifest, which
    lists the whole project whatever was selected. dbt's state comparison ignores a
    changed meta, so a carried result takes the test's current severity from here."""
    from onecouncil.quality.dbt_results import _severity

    manifest = json.loads((Path(run_results_dir) / "manifest.json").read_text())
    names = {}
    for uid, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") == "test":
            severity = _severity(node)
            names.update({node["name"]: severity, f"{node['name']} ({uid})": severity})
    for uid, node in manifest.get("unit_tests", {}).items():
        names[f"unit test: {node.get('name') or uid.rsplit('.', 1)[-1]}"] = "blocking"
    return names


def relations_read(suite) -> set[str]:
    """What a GX suite reads: its relation, what it requires, and what its query names."""
    named = {f"{s}.{t}".lower() for s, t in _RELATION.findall(suite.query or "")}
    return named | {r.lower() for r in suite.needed}


def suites_to_run(suites, rebuilt: set[str]) -> list[str]:
    """Names of the suites that read a relation rebuilt in this run."""
    return [s.name for s in suites if relations_read(s) & rebuilt]


def gx_check_names(suites) -> set[str]:
    from onecouncil.quality.gx_checks import _check_name

    return {_check_name(s.name, e) for s in suites for e in s.expectations}
