"""End to end over every pack: simulated files -> `onecouncil run` (ingest, transform,
the pack DAGs in-process) -> every pack's files.

Every feed (one month, one quarter and the year of every pack): the packs appear where
packs.md says, show only figures the warehouse holds and no trace of the code (`None`,
`nan`, `True`), and come out byte for byte the same when the run is repeated. A quarter
with only some feeds is in test_quarter_of_*.py.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal, InvalidOperation

import pytest
from leaks import leaks
from packs_e2e import (
    FOLDERS, PERIOD, QUARTER, YEAR, fresh_warehouse, run_cli, visible_text,
)


@pytest.fixture(scope="module")
def every_pack(simulated):
    fresh_warehouse()
    output = simulated / "packs"
    landing = shutil.copytree(simulated / "simulated", simulated / "landing")
    done = run_cli("run", "--landing", str(landing), "--period", PERIOD,
                   "--quarter", QUARTER, "--year", YEAR, "--output", str(output))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "data checks:" in done.stdout
    from onecouncil.packs import PACKS

    folders = {name: output / "2025-26" / FOLDERS[spec.cadence] for name, spec in PACKS.items()}
    for name, folder in folders.items():
        assert (folder / f"{name}.json").exists(), f"{name} was not rendered"
    # the run stops at sign-off and says how to approve
    assert "awaiting sign-off" in done.stdout and "onecouncil signoff approve" in done.stdout
    return folders


def test_the_run_stops_with_every_pack_awaiting_sign_off(every_pack):
    for name, folder in every_pack.items():
        doc = json.loads((folder / f"{name}.json").read_text())
        assert doc["status"] == ("awaiting sign-off" if doc["checks"]["is_final"] else "draft")
        assert doc["signoff"]["signed_off_by"] is None
    listed = run_cli("signoff", "list")
    assert listed.returncode == 0, listed.stderr[-2000:]
    for name, folder in every_pack.items():
        if json.loads((folder / f"{name}.json").read_text())["status"] != "draft":
            assert name in listed.stdout, listed.stdout


def test_the_packs_are_written_where_packs_md_says(every_pack):
    extras = {"finance-outturn": ("xlsx",), "transparency-spend": ("csv",)}
    for name, folder in every_pack.items():
        got = sorted(p.suffix[1:] for p in folder.glob(f"{name}.*"))
        assert got == sorted(("html", "pdf", "json", *extras.get(name, ()))), name


def test_lineage_names_every_ledger_file_by_hash(every_pack):
    from onecouncil.warehouse import connect

    doc = (every_pack["finance-outturn"] / "finance-outturn.json").read_text()
    with connect() as c:
        ledger = [r[0] for r in c.execute(
            "select sha256 from ops.files where feed = 'finance/ledger' and outcome = 'loaded'")]
    assert ledger and all(h in doc for h in ledger)


def test_the_transform_run_stored_its_checks(every_pack):
    from onecouncil.warehouse import connect

    with connect() as c:
        runs = c.execute("select r.outcome, count(c.*) from ops.runs r join ops.check_results c"
                         " using (run_id) where r.dag_id = 'transform' group by 1").fetchall()
        sources = {r[0] for r in c.execute("select distinct source from ops.check_results")}
    assert runs and all(outcome == "success" and n > 50 for outcome, n in runs)
    assert sources == {"dbt", "gx"}


def test_no_pack_shows_the_code_through(every_pack):
    found_in = {}
    for name, folder in every_pack.items():
        for path in sorted(folder.glob(f"{name}.*")):
            if path.suffix in (".html", ".csv", ".pdf"):
                found = leaks(visible_text(path), html=False)
                if found:
                    found_in[path.name] = found
    assert found_in == {}


def _numbers(value, path=()):
    """Every number in a pack's figures, with where it sits: ints and decimal strings."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _numbers(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _numbers(v, (*path, i))
    elif isinstance(value, int) and not isinstance(value, bool):
        yield path, Decimal(value)
    elif isinstance(value, str) and re.fullmatch(r"-?\d[\d,]*(\.\d+)?", value):
        try:
            yield path, Decimal(value.replace(",", ""))
        except InvalidOperation:
            pass


# Numbers a pack holds that are not figures of the data: the disclosure rule's
# threshold, the period's own key, and positions.
NOT_FIGURES = {"threshold", "quarter", "period", "likelihood", "impact", "score", "rows"}


def _warehouse_numbers(conn, relations: list[str]) -> set[Decimal]:
    values: set[Decimal] = set()
    for relation in relations:
        schema = "reports" if relation.startswith(("rpt_", "pack_")) else "marts"
        with conn.cursor() as cur:
            cur.execute(f"select * from {schema}.{relation}")
            for row in cur:
                for v in row:
                    if isinstance(v, bool) or v is None:
                        continue
                    if isinstance(v, int | Decimal):
                        values.add(Decimal(v).normalize())
                    elif isinstance(v, str) and re.fullmatch(r"-?\d+(\.\d+)?", v):
                        values.add(Decimal(v).normalize())  # codes such as account 49990
    return values


def test_every_figure_is_a_value_of_the_warehouse(every_pack):
    """Each number in a pack's JSON is a value of a report model or mart the pack reads:
    nothing is worked out in Python on the way (formatting aside)."""
    from onecouncil.packs.declarations import BY_NAME
    from onecouncil.packs.exposures import relations_read
    from onecouncil.warehouse import connect

    missing = {}
    with connect() as conn:
        for name, folder in every_pack.items():
            doc = json.loads((folder / f"{name}.json").read_text())
            known = _warehouse_numbers(conn, relations_read(BY_NAME[name]))
            for path, number in _numbers(doc["figures"]):
                if set(map(str, path)) & NOT_FIGURES:
                    continue
                if number.normalize() not in known:
                    missing.setdefault(name, []).append(("/".join(map(str, path)), str(number)))
    assert missing == {}, json.dumps(missing, indent=1)[:4000]


def test_rendering_again_gives_byte_identical_files(every_pack, tmp_path):
    """The same warehouse rendered again (the pack step of a re-run) gives the same bytes;
    a re-run's transform rebuilding the same marts is tests/transform's business."""
    from onecouncil.calendar import parse
    from onecouncil.packs import PACKS, render_pack
    from onecouncil.quality.results import latest_verdict
    from onecouncil.warehouse import connect

    when = {"monthly": parse(PERIOD), "quarterly": parse(QUARTER), "annual": parse(YEAR)}
    with connect(autocommit=True) as conn:
        verdict = latest_verdict(conn)
        for name, folder in every_pack.items():
            period = when[PACKS[name].cadence]
            again = render_pack(conn, name, str(period.year), period.label, tmp_path, verdict,
                                pdf=False)
            for path in again:
                assert path.read_bytes() == (folder / path.name).read_bytes(), path.name
