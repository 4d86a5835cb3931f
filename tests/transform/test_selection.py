"""What a transform rebuilds (transform.selection) and how checks not run are carried forward
(quality.results.store), without running dbt: plans from ops.runs, ops.files and a saved state."""

from __future__ import annotations

import json
from datetime import date

import pytest

from onecouncil.transform import selection
from onecouncil.transform.selection import Plan, plan, save_state, state_dir

MANIFEST = {
    "sources": {
        "source.onecouncil.raw.finance__ledger": {
            "source_name": "raw", "name": "finance__ledger", "schema": "raw",
            "identifier": "finance__ledger"},
        "source.onecouncil.benchmark.benchmark__measures": {
            "source_name": "benchmark", "name": "benchmark__measures", "schema": "raw",
            "identifier": "benchmark__measures"},
        "source.onecouncil.raw.risk__register": {
            "source_name": "raw", "name": "risk__register", "schema": "raw",
            "identifier": "risk__register"},
    },
    "nodes": {
        "model.onecouncil.stg_finance__ledger": {
            "resource_type": "model", "name": "stg_finance__ledger", "schema": "ops",
            "alias": "runs", "config": {"materialized": "view"}},  # a relation that exists
        "model.onecouncil.never_built": {
            "resource_type": "model", "name": "never_built", "schema": "marts",
            "alias": "never_built", "config": {"materialized": "table"}},
        "model.onecouncil.inline": {
            "resource_type": "model", "name": "inline", "schema": "marts",
            "alias": "inline", "config": {"materialized": "ephemeral"}},
    },
}


@pytest.fixture
def state(conn, settings, tmp_path):
    """A successful transform `t1` whose saved state saw the files loaded so far."""
    folder = state_dir(settings)

    def _save(run_id="t1", built_on=None, manifest=MANIFEST):
        conn.execute("insert into ops.runs (run_id, dag_id, outcome, finished_at) "
                     "values (%s, 'transform', 'success', now()) on conflict do nothing",
                     (run_id,))
        results = tmp_path / run_id
        results.mkdir(exist_ok=True)
        (results / "manifest.json").write_text(json.dumps(manifest))
        (results / "run_results.json").write_text(json.dumps({"results": [
            {"unique_id": "model.onecouncil.stg_finance__ledger", "status": "success"},
            {"unique_id": "model.onecouncil.pack_sources", "status": "skipped"}]}))
        ids = [i for (i,) in conn.execute("select file_id from ops.files where outcome = "
                                          "'loaded'").fetchall()]
        save_state(run_id, results, Plan(full=True, reason="test", file_ids=tuple(ids)),
                   settings)
        if built_on:
            saved = json.loads((folder / "run.json").read_text())
            (folder / "run.json").write_text(json.dumps({**saved, "built_on": built_on}))

    yield _save
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _file(conn, feed, name, outcome="loaded"):
    conn.execute("insert into ops.files (sha256, feed, file_name, arrived_at, outcome, reason, "
                 "size_bytes) values (md5(%s) || md5(%s), %s, %s, now(), %s, %s, 1)",
                 (name, name, feed, name, outcome, "bad" if outcome == "refused" else None))


def test_the_first_transform_builds_everything(conn, settings):
    chosen = plan(conn, settings)
    assert chosen.full and "first build is always full" in chosen.reason
    assert chosen.dbt_args(state_dir(settings)) == []


def test_full_refresh_builds_everything_and_refreshes_incremental_models(conn, settings, state):
    state()
    chosen = plan(conn, settings, full_refresh=True)
    assert chosen.full and chosen.dbt_args(state_dir(settings), True) == ["--full-refresh"]


def test_no_saved_state_builds_everything(conn, settings):
    conn.execute("insert into ops.runs (run_id, dag_id, outcome, finished_at) "
                 "values ('t1', 'transform', 'success', now())")
    chosen = plan(conn, settings)
    assert chosen.full and "no saved state" in chosen.reason


def test_a_state_of_another_run_than_the_last_success_builds_everything(conn, settings, state):
    state("t1")
    conn.execute("insert into ops.runs (run_id, dag_id, outcome, finished_at) "
                 "values ('t2', 'transform', 'success', now() + interval '1 minute')")
    chosen = plan(conn, settings)
    assert chosen.full and "t1" in chosen.reason and "t2" in chosen.reason


def test_feeds_loaded_since_the_last_success_select_their_sources_downstream(conn, settings,
                                                                            state):
    _file(conn, "finance/ledger", "p01.csv")
    _file(conn, "risk/register", "r1.csv")
    state("t1", built_on=selection.today().isoformat())
    _file(conn, "finance/ledger", "p02.csv")
    _file(conn, "benchmark/measures", "m.csv")
    _file(conn, "risk/register", "refused.csv", outcome="refused")  # no data loaded
    chosen = plan(conn, settings)
    assert not chosen.full
    assert chosen.feeds == ("benchmark__measures", "finance__ledger")
    # the never-built table (dropped, or new) and the model dbt skipped last time (a failed
    # test upstream) are rebuilt with what reads them; a view that exists is not
    assert chosen.select == ("source:benchmark.benchmark__measures+", "source:raw.finance__ledger+",
                             "state:modified+", "never_built+", "pack_sources+")
    args = chosen.dbt_args(state_dir(settings))
    assert args[:1] == ["--select"] and args[-2:] == ["--state", str(state_dir(settings))]
    assert not chosen.expectations_changed


def test_new_data_alone_leaves_the_unit_tests_out(conn, settings, state):
    _file(conn, "finance/ledger", "p01.csv")
    state("t1", built_on=selection.today().isoformat())
    _file(conn, "finance/ledger", "p02.csv")
    chosen = plan(conn, settings)
    assert not chosen.full and not chosen.unit_tests
    args = chosen.dbt_args(state_dir(settings))
    assert args[args.index("--exclude-resource-type") + 1] == "unit_test"
    assert "unit tests' results are carried" in chosen.reason


def test_a_changed_project_file_runs_the_unit_tests(conn, settings, state, monkeypatch,
                                                    tmp_path):
    import shutil

    from onecouncil.transform import dbt as dbt_module

    _file(conn, "finance/ledger", "p01.csv")
    state("t1", built_on=selection.today().isoformat())
    _file(conn, "finance/ledger", "p02.csv")
    project = tmp_path / "dbt"
    shutil.copytree(dbt_module.PROJECT_DIR, project)
    unit_tests = project / "models" / "intermediate" / "_finance__unit_tests.yml"
    unit_tests.write_text(unit_tests.read_text() + "\n# a changed comment changes the file\n")
    monkeypatch.setattr(dbt_module, "PROJECT_DIR", project)
    chosen = plan(conn, settings)
    assert not chosen.full and chosen.unit_tests
    assert "--exclude-resource-type" not in chosen.dbt_args(state_dir(settings))


def test_the_state_keeps_the_code_as_planned_not_as_it_is_when_saved(conn, settings, state,
                                                                   monkeypatch, tmp_path):
    """A project file, GX suite or dbt var edited while dbt builds is not in that build: the
    next plan runs the unit tests, the suites, or a full build."""
    planned = Plan(full=True, reason="test", project="code as planned",
                   expectations="suites as planned", dbt_settings="vars as planned")
    results = tmp_path / "t9"
    results.mkdir()
    (results / "manifest.json").write_text(json.dumps(MANIFEST))
    (results / "run_results.json").write_text(json.dumps({"results": []}))
    save_state("t9", results, planned, settings)
    saved = json.loads((state_dir(settings) / "run.json").read_text())
    assert saved["project"] == "code as planned"
    assert saved["expectations"] == "suites as planned"
    assert saved["dbt_settings"] == "vars as planned"
    assert plan(conn, settings).project == selection.project_hash()
    assert plan(conn, settings).expectations == selection.expectations_hash()


def test_a_state_saved_before_unit_tests_were_left_out_runs_them(conn, settings, state):
    folder = state_dir(settings)
    state("t1", built_on=selection.today().isoformat())
    saved = json.loads((folder / "run.json").read_text())
    del saved["project"]
    (folder / "run.json").write_text(json.dumps(saved))
    assert plan(conn, settings).unit_tests


def test_nothing_loaded_selects_only_what_changed_in_the_project(conn, settings, state):
    _file(conn, "finance/ledger", "p01.csv")
    state("t1", built_on=selection.today().isoformat(),
          manifest={**MANIFEST, "nodes": {}})
    chosen = plan(conn, settings)
    assert not chosen.full and chosen.feeds == ()
    assert chosen.select == ("state:modified+", "pack_sources+")
    assert "no file loaded" in chosen.reason


def test_a_new_calendar_year_rebuilds_what_depends_on_today(conn, settings, state):
    last_year = date(selection.today().year - 1, 12, 31).isoformat()
    state("t1", built_on=last_year, manifest={**MANIFEST, "nodes": {}})
    chosen = plan(conn, settings)
    assert chosen.select == ("state:modified+", "pack_sources+", f"tag:{selection.NEW_YEAR_TAG}+")
    assert chosen.unit_tests  # what reads today's date is tested again


def test_a_changed_suite_file_makes_every_suite_run(conn, settings, state, monkeypatch):
    state("t1", built_on=selection.today().isoformat())
    monkeypatch.setattr(selection, "expectations_hash", lambda: "changed")
    assert plan(conn, settings).expectations_changed


def test_the_plan_round_trips_through_json():
    chosen = Plan(full=False, reason="r", select=("a+", "b+"), feeds=("f",), since_run="t",
                  file_ids=(1, 2), expectations_changed=False, unit_tests=False)
    assert Plan.from_json(chosen.to_json()) == chosen


# ---------------------------------------------------------------- checks carried forward

def _run(conn, run_id, started):
    conn.execute("insert into ops.runs (run_id, dag_id, outcome, started_at, finished_at) "
                 "values (%s, 'transform', 'success', %s, %s)", (run_id, started, started))


def test_checks_not_run_are_carried_forward_from_the_run_that_ran_them(conn):
    from onecouncil.quality.results import CheckResult, store, verdict

    def check(source, name, status="pass", severity="blocking"):
        return CheckResult(source, name, "marts.x", severity, status)

    _run(conn, "full", "2026-11-02 10:00+00")
    store(conn, "full", [check("dbt", "ledger_test"), check("dbt", "risk_test", "fail"),
                         check("dbt", "removed_test"), check("gx", "risk: a", "fail",
                                                             "warning"),
                         check("gx", "finance: b")])
    _run(conn, "second", "2026-11-09 10:00+00")
    failed, warned = store(conn, "second", [check("dbt", "ledger_test", "fail")],
                           carry_forward={"dbt": {"ledger_test", "risk_test"}, "gx": None})
    assert (failed, warned) == (2, 1)  # this run's failure and the carried one
    got = {(r.source, r.check_name): r for r in verdict(conn, "second").results}
    assert set(got) == {("dbt", "ledger_test"), ("dbt", "risk_test"), ("gx", "risk: a"),
                        ("gx", "finance: b")}  # a test no longer in the project is not
    assert got["dbt", "ledger_test"].carried_forward_from is None
    assert got["dbt", "risk_test"].carried_forward_from == "full"
    assert got["dbt", "risk_test"].carried_forward_on == date(2026, 11, 2)
    assert got["dbt", "risk_test"].status == "fail"

    # a third run carries from where each check last ran, not from the run that carried it
    _run(conn, "third", "2026-11-16 10:00+00")
    store(conn, "third", [check("gx", "finance: b")], carry_forward={"dbt": None, "gx": None})
    third = {(r.source, r.check_name): r for r in verdict(conn, "third").results}
    assert third["dbt", "ledger_test"].carried_forward_from == "second"
    assert third["dbt", "risk_test"].carried_forward_from == "full"
    assert third["gx", "finance: b"].carried_forward_from is None
    # storing again (a retried task) gives the same rows, no duplicates
    store(conn, "third", [check("gx", "finance: b")], carry_forward={"dbt": None, "gx": None})
    assert {(r.source, r.check_name): r for r in verdict(conn, "third").results} == third


def test_the_pack_says_which_checks_were_carried_forward(conn):
    from onecouncil.packs.render import checks_summary
    from onecouncil.quality.results import CheckResult, store, verdict

    _run(conn, "full", "2026-11-02 10:00+00")
    store(conn, "full", [CheckResult("dbt", "risk_test", "marts.risks", "blocking", "fail",
                                     3, "3 rows failed"),
                         CheckResult("dbt", "ledger_test", "marts.f", "blocking", "pass")])
    _run(conn, "partial", "2026-11-09 10:00+00")
    store(conn, "partial", [CheckResult("dbt", "ledger_test", "marts.f", "blocking", "pass")],
          carry_forward={"dbt": None})
    summary = checks_summary(verdict(conn, "partial"))
    assert summary["carried_forward"] == 1
    assert summary["carried_forward_on"] == [date(2026, 11, 2)]
    from onecouncil.packs.render import environment

    # the data-quality section every pack shows
    html = environment().from_string(
        '{% from "macros.html" import data_quality %}'
        "{{ data_quality(lineage, checks, unmapped_applies=false) }}").render(
        lineage={"data_version_short": "abc", "source_files": [], "quarantine": []},
        checks=summary)
    text = " ".join(html.split())
    assert "3 rows failed (carried forward from the run of 02/11/2026)" in text
    assert ("1 of these 2 checks read data this run did not rebuild, so they were not run "
            "again: their results are carried forward from the run of 02/11/2026.") in text


def test_a_changed_threshold_or_council_name_builds_everything(conn, settings, state,
                                                               monkeypatch):
    """dbt's state comparison does not see a var's new value: dbt_project.yml's vars are
    the council's thresholds, so a change there (or to the council's name) is a full build."""
    state("t1", built_on=selection.today().isoformat())
    assert not plan(conn, settings).full
    monkeypatch.setattr(selection, "dbt_settings_hash", lambda settings=None: "other")
    chosen = plan(conn, settings)
    assert chosen.full and "dbt_project.yml" in chosen.reason


def test_a_carried_dbt_test_takes_its_severity_now(conn):
    """A test's meta.severity changed without its model changing: not run again, but
    counted as it is declared now."""
    from onecouncil.quality.results import CheckResult, store, verdict

    _run(conn, "full", "2026-11-02 10:00+00")
    store(conn, "full", [CheckResult("dbt", "soft_test", "marts.x", "blocking", "fail")])
    _run(conn, "partial", "2026-11-09 10:00+00")
    failed, warned = store(conn, "partial", [],
                           carry_forward={"dbt": {"soft_test": "warning"}})
    assert (failed, warned) == (0, 1)
    (result,) = verdict(conn, "partial").results
    assert (result.severity, result.status, result.carried_forward_from) == (
        "warning", "fail", "full")


def test_a_model_not_built_stays_due_until_a_run_builds_it(conn, settings, state, tmp_path):
    state("t1", built_on=selection.today().isoformat(), manifest={**MANIFEST, "nodes": {}})
    chosen = plan(conn, settings)
    assert "pack_sources+" in chosen.select

    def after(run_id, results):
        folder = tmp_path / run_id
        folder.mkdir()
        (folder / "manifest.json").write_text(json.dumps({**MANIFEST, "nodes": {}}))
        (folder / "run_results.json").write_text(json.dumps({"results": results}))
        conn.execute("insert into ops.runs (run_id, dag_id, outcome, finished_at) values "
                     "(%s, 'transform', 'success', now() + interval '1 hour')", (run_id,))
        save_state(run_id, folder, chosen, settings)
        return plan(conn, settings).select

    # a partial run that did not select it keeps it due; one that built it clears it
    assert after("t2", [{"unique_id": "model.onecouncil.x", "status": "success"}]) == (
        "state:modified+", "pack_sources+")
    conn.execute("delete from ops.runs where run_id = 't2'")
    assert after("t3", [{"unique_id": "model.onecouncil.pack_sources", "status": "success"}]) == (
        "state:modified+",)


@pytest.mark.parametrize(("args", "conf"), [
    (["transform"], {"full_refresh": False}),
    (["transform", "--full-refresh"], {"full_refresh": True}),
    (["run", "--period", "2025-26-P01", "--full-refresh"], {"full_refresh": True}),
])
def test_the_command_line_passes_full_refresh_to_the_transform_dag(monkeypatch, args, conf):
    from typer.testing import CliRunner

    from onecouncil import cli

    seen = []
    monkeypatch.setattr(cli, "_run_dag", lambda f, dag_id, c, what: seen.append((dag_id, c)))
    monkeypatch.setattr(cli, "_print_verdict", lambda: None)
    monkeypatch.setattr(cli, "render_packs", lambda *a, **k: None)
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    assert seen == [("transform", conf)]


def test_the_next_run_starts_from_the_last_good_builds_parse(conn, settings, tmp_path):
    from onecouncil.transform.selection import PARSED, reuse_parse

    built = tmp_path / "built"
    built.mkdir()
    (built / "manifest.json").write_text(json.dumps(MANIFEST))
    (built / "run_results.json").write_text(json.dumps({"results": []}))
    (built / PARSED).write_bytes(b"parsed project")
    save_state("t1", built, Plan(full=True, reason="test"), settings)
    try:
        nxt = tmp_path / "next"
        nxt.mkdir()
        reuse_parse(nxt, settings)
        assert (nxt / PARSED).read_bytes() == b"parsed project"
    finally:
        import shutil

        shutil.rmtree(state_dir(settings), ignore_errors=True)
