"""End to end: simulated files -> `onecouncil run` (ingest, transform, pack DAGs in-process).

The packs must appear where packs.md says, and running the period again (the
same data) must give byte-identical pack JSON.
"""

from __future__ import annotations

import json
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
def first_run(warehouse, tmp_path_factory):
    from onecouncil.simulate import simulate
    from onecouncil.warehouse import connect

    with connect(autocommit=True) as c:  # a warehouse holding only this module's files
        c.execute("truncate ops.check_results, ops.quarantine, ops.files, ops.runs cascade")
    root = tmp_path_factory.mktemp("finance-e2e")
    simulate(root / "landing", FiscalPeriod.parse("2025-26-P02"), scale=0.03, seed=5)
    output = root / "packs"
    done = run_cli("run", "--landing", str(root / "landing"), "--period", "2025-26-P02",
                   "--output", str(output))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return output, done


def test_run_writes_the_finance_packs_where_packs_md_says(first_run):
    output, done = first_run
    folder = output / "2025-26" / "P02"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"{pack}.{ext}" for pack, exts in
                           {"finance-outturn": ("html", "pdf", "json", "xlsx"),
                            "transparency-spend": ("html", "pdf", "json", "csv")}.items()
                           for ext in exts)
    assert "data checks:" in done.stdout
    figures = json.loads((folder / "finance-outturn.json").read_text())
    hashes = json.dumps(figures)
    # lineage names the ledger files the figures came from, by hash
    from onecouncil.warehouse import connect

    with connect() as c:
        ledger = [r[0] for r in c.execute(
            "select sha256 from ops.files where feed = 'finance/ledger' and outcome = 'loaded'")]
    assert ledger and all(h in hashes for h in ledger)


def test_rerunning_the_period_gives_byte_identical_json(first_run, warehouse):
    output, _ = first_run
    folder = output / "2025-26" / "P02"
    before = {p.name: p.read_bytes() for p in folder.glob("*.json")}
    done = run_cli("run", "--period", "2025-26-P02", "--output", str(output))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    after = {p.name: p.read_bytes() for p in folder.glob("*.json")}
    assert after == before


def test_the_transform_run_stored_its_checks(first_run, warehouse):
    from onecouncil.warehouse import connect

    with connect() as c:
        runs = c.execute("select r.outcome, count(c.*) from ops.runs r join ops.check_results c"
                         " using (run_id) where r.dag_id = 'transform' group by 1").fetchall()
        sources = {r[0] for r in c.execute("select distinct source from ops.check_results")}
    assert runs and all(outcome == "success" and n > 50 for outcome, n in runs)
    assert sources == {"dbt", "gx"}
