"""End to end: simulated files -> `onecouncil ingest` (the Airflow DAG, in-process) -> warehouse.

What was loaded must match what the simulator says it wrote, file by file, and a
second delivery of the same files must change nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from onecouncil.calendar import FiscalPeriod

ONECOUNCIL = str(Path(sys.executable).with_name("onecouncil"))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([ONECOUNCIL, *args], env=dict(os.environ), capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    from onecouncil.simulate import simulate

    landing = tmp_path_factory.mktemp("e2e") / "landing"
    manifest = simulate(landing, FiscalPeriod.parse("2025-26-P02"), scale=0.03, seed=11)
    return landing, manifest


def counts(conn) -> dict[str, int]:
    from onecouncil.feeds import FEEDS

    return {f.table: conn.execute(f"select count(*) from raw.{f.table}").fetchone()[0]
            for f in FEEDS}


def test_ingest_dag_loads_what_was_simulated_and_a_rerun_changes_nothing(conn, simulated,
                                                                         tmp_path):
    landing, manifest = simulated
    done = run_cli("ingest", "--landing", str(landing))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ingest_landing" in done.stdout or "Ingestion run" in done.stdout

    loaded = {(f, n): (o, r, lo, q) for f, n, o, r, lo, q in conn.execute(
        "select feed, file_name, outcome, rows_read, rows_loaded, rows_quarantined "
        "from ops.files")}
    expected = {(f["feed"], Path(f["path"]).name):
                (f["expected_outcome"], f["rows_read"], f["rows_loaded"], f["rows_quarantined"])
                for f in manifest["files"]}
    assert loaded == expected
    run = conn.execute("select outcome, files_loaded, files_refused, files_duplicate "
                       "from ops.runs where dag_id = 'ingest_landing'").fetchall()
    outcomes = [e[0] for e in expected.values()]
    assert run == [("success", outcomes.count("loaded"), outcomes.count("refused"),
                    outcomes.count("duplicate"))]
    assert sum(counts(conn).values()) == sum(e[2] for e in expected.values())
    before = counts(conn)

    # The same files delivered again: every one is a duplicate and nothing changes.
    from onecouncil.simulate import simulate

    again = tmp_path / "again"
    simulate(again, FiscalPeriod.parse(manifest["through"]), scale=manifest["scale"],
             seed=manifest["seed"])
    done = run_cli("ingest", "--landing", str(again))
    assert done.returncode == 0, done.stdout + done.stderr
    second = conn.execute("select distinct outcome from ops.files where run_id = "
                          "(select run_id from ops.runs order by started_at desc limit 1)")
    assert [r[0] for r in second] == ["duplicate"]
    assert counts(conn) == before

    # The demo's self-check still sees the first delivery, and names a file that differs.
    from onecouncil.simulate.check import mismatches

    assert mismatches(conn, manifest) == []
    wrong = {**manifest, "files": [dict(manifest["files"][0], rows_loaded=-1)]}
    [problem] = mismatches(conn, wrong)
    assert Path(manifest["files"][0]["path"]).name in problem


def test_ingest_of_a_missing_folder_says_what_to_do(warehouse, tmp_path):
    done = run_cli("ingest", "--landing", str(tmp_path / "nowhere"))
    assert done.returncode != 0
    assert "does not exist" in done.stderr
