"""A month's new ledger file rebuilds only what reads the ledger, and its checks.

One simulated quarter (2025-26 P01-P03, 5% scale) is loaded without P03's ledger file and
built in full through the transform DAG's own steps (pipelines.transform); then P03's
ledger arrives and the next transform rebuilds only finance's downstream models, runs only
the GX suites reading them and carries every other check forward. Then: nothing loaded
builds nothing; a changed model file rebuilds that model; --full-refresh is a full build.
The times of the full and the incremental transform are printed (README measurements).
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from onecouncil.pipelines import transform as pipeline

SUBJECTS_UNTOUCHED_BY_THE_LEDGER = ("performance", "risk", "audit")


def _transform(run_id: str, full_refresh: bool = False) -> dict:
    from onecouncil.pipelines.runs import open_run

    started = time.perf_counter()
    open_run(run_id, pipeline.DAG_ID)
    built = pipeline.dbt_build(run_id, full_refresh=full_refresh)
    summary = pipeline.check(run_id)
    folder = pipeline.run_results_dir(run_id)
    manifest = json.loads((folder / "manifest.json").read_text())
    results = json.loads((folder / "run_results.json").read_text())["results"]
    models = {r["unique_id"]: manifest["nodes"][r["unique_id"]] for r in results
              if r["unique_id"].startswith("model.")}
    return {"seconds": time.perf_counter() - started, "built": built, "summary": summary,
            "models": models, "results": results, "manifest": manifest}


def _ingest(conn, landing: Path, run_id: str, settings) -> list:
    from onecouncil.feeds import FEEDS
    from onecouncil.ingest.run import ingest_feed

    outcomes = []
    for feed in FEEDS:
        outcomes += ingest_feed(conn, feed, landing, run_id=run_id, settings=settings)
    return outcomes


def _checks(conn, run_id: str) -> list[tuple]:
    return conn.execute("select source, check_name, relation, status, carried_forward_from "
                        "from ops.check_results where run_id = %s order by 1, 2",
                        (run_id,)).fetchall()


def _p03_actuals(conn):
    # P03's year-to-date actuals move once P03's ledger lines are in (P02's until then)
    return conn.execute("select sum(actual_ytd) - sum(actual_ytd) filter (where period = 2)"
                        " from marts.finance_outturn where fiscal_year = '2025-26'"
                        " and period in (2, 3)").fetchone()[0]


@pytest.fixture(scope="module")
def runs(warehouse, settings, tmp_path_factory):
    """Full build without P03's ledger, then P03's ledger and a transform, then one more
    transform with nothing loaded."""
    from onecouncil.calendar import FiscalPeriod
    from onecouncil.feeds import FEEDS
    from onecouncil.simulate import simulate
    from onecouncil.transform.selection import state_dir
    from onecouncil.warehouse import connect

    simulated = tmp_path_factory.mktemp("rebuild-sim")
    simulate(simulated, FiscalPeriod.parse("2025-26-P03"), scale=0.05, seed=3)
    landing = tmp_path_factory.mktemp("rebuild-landing")
    for feed in FEEDS:
        if (simulated / feed.folder).is_dir():
            shutil.copytree(simulated / feed.folder, landing / feed.folder)
    held_back = landing / "finance" / "ledger" / "GL_Actuals_2025-26_P03.csv"
    held_back.unlink()
    shutil.rmtree(state_dir(settings), ignore_errors=True)

    with connect(autocommit=True) as conn:
        tables = ["ops.check_results", "ops.quarantine", "ops.files", "ops.runs"]
        tables += [f"raw.{f.table}" for f in FEEDS]
        conn.execute(f"truncate {', '.join(tables)} restart identity cascade")
        _ingest(conn, landing, "ingest-1", settings)
        full = _transform("rebuild-full")
        before = _p03_actuals(conn)

        shutil.copy2(simulated / "finance" / "ledger" / held_back.name, held_back)
        loaded = _ingest(conn, landing, "ingest-2", settings)
        assert [(o.feed, o.outcome) for o in loaded] == [("finance/ledger", "loaded")]
        partial = _transform("rebuild-ledger")
        after = _p03_actuals(conn)
        nothing = _transform("rebuild-nothing")
        print(f"\ntransform of one new month's ledger file ({len(full['models'])} models in "
              f"all): full {full['seconds']:.1f}s, incremental {partial['seconds']:.1f}s "
              f"({len(partial['models'])} models rebuilt), nothing loaded "
              f"{nothing['seconds']:.1f}s")
        yield {"full": full, "partial": partial, "nothing": nothing, "before": before,
               "after": after, "conn": conn}


def _subject(node: dict) -> str:
    # models/<layer>/<subject>/<name>.sql
    parts = Path(node["original_file_path"]).parts
    return parts[2] if len(parts) > 3 else ""


def test_the_first_transform_builds_everything(runs):
    full = runs["full"]
    assert full["built"]["full"] and "first build" in full["built"]["reason"]
    every_model = {u for u, n in full["manifest"]["nodes"].items()
                   if n["resource_type"] == "model"}
    assert set(full["models"]) == every_model
    # a model below a failing blocking test is skipped by dbt, never left out of the plan
    statuses = [r["status"] for r in full["results"] if r["unique_id"].startswith("model.")]
    assert set(statuses) <= {"success", "skipped"} and statuses.count("success") > 100


def test_a_new_ledger_file_rebuilds_only_what_reads_the_ledger(runs):
    partial = runs["partial"]
    assert not partial["built"]["full"]
    assert partial["built"]["feeds"] == ["finance__ledger"]
    built = partial["models"]
    assert built and len(built) < len(runs["full"]["models"]) / 2
    assert "model.onecouncil.stg_finance__ledger" in built
    assert "model.onecouncil.finance_outturn" in built
    others = sorted(n["name"] for n in built.values()
                    if _subject(n) in SUBJECTS_UNTOUCHED_BY_THE_LEDGER)
    assert others == [], f"rebuilt models of other subjects: {others}"
    # the finance marts now hold P03's actuals
    assert runs["before"] != runs["after"]


def test_only_the_suites_reading_the_ledger_ran_and_the_rest_was_carried_forward(runs):
    conn = runs["conn"]
    full = {(s, n): (rel, status) for s, n, rel, status, _ in _checks(conn, "rebuild-full")}
    partial = _checks(conn, "rebuild-ledger")
    # the verdict covers every check, as the full run's did
    assert {(s, n) for s, n, *_ in partial} == set(full)
    ran_gx = {rel for s, _, rel, _, carried in partial if s == "gx" and carried is None}
    carried_gx = {rel for s, _, rel, _, carried in partial if s == "gx" and carried}
    assert ran_gx and carried_gx
    assert all("finance" in r or "ledger" in r or "payments" in r for r in ran_gx), ran_gx
    assert not any(word in r for r in ran_gx for word in SUBJECTS_UNTOUCHED_BY_THE_LEDGER)
    assert {c for *_, c in partial if c} == {"rebuild-full"}
    # a carried check keeps the status it had when it ran
    for s, n, _, status, carried in partial:
        if carried:
            assert status == full[s, n][1]
    # dbt tests of risk models were not run again but are in the verdict
    risk_tests = [n for s, n, rel, _, carried in partial
                  if s == "dbt" and rel and "risk" in rel]
    assert risk_tests and all(carried for s, n, rel, _, carried in partial
                              if s == "dbt" and n in risk_tests)


def test_new_data_alone_runs_no_unit_test_and_carries_their_results(runs):
    """A unit test runs its model's SQL on the rows its YAML gives, never on the warehouse's,
    so a build for a new file alone leaves them out; the verdict still has every one."""
    def unit_tests(results):
        return [r for r in results if r["unique_id"].startswith("unit_test.")]

    assert len(unit_tests(runs["full"]["results"])) > 50
    assert unit_tests(runs["partial"]["results"]) == []
    assert "unit tests' results are carried" in runs["partial"]["built"]["reason"]
    carried = {n: c for s, n, _, _, c in _checks(runs["conn"], "rebuild-ledger")
               if s == "dbt" and n.startswith("unit test: ")}
    assert len(carried) == len(unit_tests(runs["full"]["results"]))
    assert set(carried.values()) == {"rebuild-full"}


def test_the_verdict_the_packs_read_says_what_was_carried_forward(runs):
    from onecouncil.packs.render import checks_summary
    from onecouncil.quality.results import verdict

    partial = verdict(runs["conn"], "rebuild-ledger")
    full = verdict(runs["conn"], "rebuild-full")
    assert len(partial.results) == len(full.results)
    summary = checks_summary(partial)
    assert 0 < summary["carried_forward"] < summary["total"]
    assert len(summary["carried_forward_on"]) == 1


def test_nothing_loaded_builds_nothing_and_the_run_still_succeeds(runs):
    conn = runs["conn"]
    nothing = runs["nothing"]
    assert not nothing["built"]["full"] and nothing["built"]["nodes"] == {}
    assert "no file loaded" in nothing["built"]["reason"]
    assert nothing["results"] == []
    assert conn.execute("select outcome from ops.runs where run_id = 'rebuild-nothing'"
                        ).fetchone() == ("success",)
    checks = _checks(conn, "rebuild-nothing")
    assert len(checks) == len(_checks(conn, "rebuild-full"))
    assert all(carried in ("rebuild-full", "rebuild-ledger") for *_, carried in checks)


def test_a_changed_model_file_is_rebuilt_with_what_reads_it(runs, tmp_path, monkeypatch):
    from onecouncil.transform import dbt as dbt_module

    project = tmp_path / "dbt"
    shutil.copytree(dbt_module.PROJECT_DIR, project)
    model = project / "models" / "marts" / "risk" / "risk_register.sql"
    assert model.exists()
    model.write_text(model.read_text() + "\n-- a changed comment changes the file\n")
    monkeypatch.setattr(dbt_module, "PROJECT_DIR", project)
    changed = _transform("rebuild-modified")
    assert not changed["built"]["full"] and changed["built"]["feeds"] == []
    names = {n["name"] for n in changed["models"].values()}
    assert "risk_register" in names
    # the project's code changed: the unit tests of what it rebuilds run again
    assert any(r["unique_id"].startswith("unit_test.onecouncil.risk_register.")
               for r in changed["results"])
    assert not any(_subject(n) == "finance" for n in changed["models"].values())


def test_full_refresh_builds_as_the_first_build_did_and_refreshes_incremental_models(runs):
    """--full-refresh takes the first build's path (every model, every check: shown above),
    plus dbt's --full-refresh for the incremental models; not built again here (minutes)."""
    from onecouncil.transform.selection import plan, state_dir

    conn = runs["conn"]
    assert not plan(conn).full  # a state is saved: without the flag, partial
    refreshed = plan(conn, full_refresh=True)
    assert refreshed.full and "full refresh" in refreshed.reason
    assert refreshed.dbt_args(state_dir(), full_refresh=True) == ["--full-refresh"]
