"""dbt's run_results.json + manifest.json -> CheckResults (real dbt 1.11 artifacts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onecouncil.quality.dbt_results import DbtArtifactsError, from_run_results
from onecouncil.quality.results import Verdict

FIXTURES = Path(__file__).parent / "fixtures"


def checks(name: str):
    folder = FIXTURES / name
    return {c.check_name: c for c in from_run_results(folder / "run_results.json",
                                                      folder / "manifest.json")}


def test_every_test_is_a_check_with_its_relation_severity_and_status():
    got = checks("dbt_mixed")
    assert set(got) == {
        "unit test: outturn_has_three_rows", "build: broken", "not_null_broken_id",
        "accepted_values_outturn_rag__Green__Amber__Red", "broken_sql",
        "dbt_utils_free_positive_outturn_budget", "no_red_rows",
        "not_null_outturn_id", "unique_outturn_id",
    }
    assert {c.source for c in got.values()} == {"dbt"}
    rag = got["accepted_values_outturn_rag__Green__Amber__Red"]
    assert (rag.relation, rag.severity, rag.status, rag.failing_rows) == \
        ("qfix_qfix.outturn", "blocking", "fail", 1)
    unique = got["unique_outturn_id"]
    assert (unique.severity, unique.status, unique.failing_rows) == ("blocking", "pass", 0)


def test_dbt_warn_is_a_failed_warning():
    got = checks("dbt_mixed")
    # severity: warn without meta -> warning; with meta.severity: warning -> warning
    for name in ("dbt_utils_free_positive_outturn_budget", "no_red_rows"):
        c = got[name]
        assert (c.severity, c.status, c.failing_rows) == ("warning", "fail", 1)
        assert c.failed


def test_errors_and_build_failures_block():
    got = checks("dbt_mixed")
    assert got["broken_sql"].status == "error" and got["broken_sql"].severity == "blocking"
    assert got["broken_sql"].relation == "qfix_qfix.outturn"  # singular test: from depends_on
    assert "no_such_column" in got["broken_sql"].message
    build = got["build: broken"]
    assert (build.relation, build.severity, build.status) == \
        ("qfix_qfix.broken", "blocking", "error")
    assert got["not_null_broken_id"].status == "skipped"
    verdict = Verdict("r", tuple(got.values()))
    assert not verdict.is_final
    assert {c.check_name for c in verdict.blocking_failures} == {
        "accepted_values_outturn_rag__Green__Amber__Red", "broken_sql", "build: broken"}


def test_failed_unit_test_blocks_and_skipped_tests_are_skipped():
    got = checks("dbt_unitfail")
    unit = got["unit test: outturn_has_three_rows"]
    assert (unit.severity, unit.status, unit.relation) == ("blocking", "fail", "qfix_qfix.outturn")
    assert "\x1b" not in unit.message and "differs from expected" in unit.message
    others = [c for n, c in got.items() if n != unit.check_name]
    assert others and {c.status for c in others} == {"skipped"}
    assert all(c.failing_rows is None for c in others)


def test_meta_severity_overrides_and_is_validated(tmp_path):
    folder = FIXTURES / "dbt_mixed"
    manifest = json.loads((folder / "manifest.json").read_text())
    uid = "test.qfix.unique_outturn_id.c39bdd28dd"
    manifest["nodes"][uid]["config"]["meta"] = {"severity": "warning"}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    got = {c.check_name: c for c in from_run_results(folder / "run_results.json",
                                                     tmp_path / "manifest.json")}
    assert got["unique_outturn_id"].severity == "warning"

    manifest["nodes"][uid]["config"]["meta"] = {"severity": "critical"}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(DbtArtifactsError, match="meta.severity"):
        from_run_results(folder / "run_results.json", tmp_path / "manifest.json")


def test_missing_artifacts_say_what_is_missing(tmp_path):
    with pytest.raises(DbtArtifactsError, match="run_results.json not found"):
        from_run_results(tmp_path / "run_results.json", tmp_path / "manifest.json")


def test_importing_the_check_modules_does_not_import_gx():
    # DAG files import these at parse time; GX takes seconds to import.
    import subprocess
    import sys

    code = ("import sys, onecouncil.quality.run, onecouncil.quality.gx_checks; "
            "print('great_expectations' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
