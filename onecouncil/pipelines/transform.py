"""The transform DAG's work: `dbt build`, then the data-quality verdict.

One task runs one `dbt build` rather than Cosmos's task per model: the README
("Why one dbt task") gives what each way measured here and where Cosmos broke.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from onecouncil import settings as _settings

log = logging.getLogger(__name__)

DAG_ID = "transform"


def run_results_dir(run_id: str, settings: _settings.Settings | None = None) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)
    return (settings or _settings.load()).home / "dbt" / "runs" / safe


def dbt_build(run_id: str) -> dict:
    """One `dbt build` of the project; its artifacts are kept for the check task.

    Test failures are not task failures: the check task turns them into the
    run's verdict. A model dbt could not build fails the check task instead.
    """
    from onecouncil.transform.dbt import run_dbt

    settings = _settings.load()
    dest = run_results_dir(run_id, settings)
    dest.mkdir(parents=True, exist_ok=True)
    result = run_dbt(["build", "--target-path", str(dest)], settings)
    if result.exception is not None:
        raise RuntimeError(f"dbt could not run: {result.exception}")
    statuses: dict[str, int] = {}
    for r in result.result or []:
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1
    log.info("dbt build: %s", statuses)
    return statuses


def build_failures(results_dir: Path) -> list[str]:
    """Models (not tests) that dbt could not build in this run, from run_results.json."""
    import json

    path = results_dir / "run_results.json"
    if not path.exists():
        return ["dbt left no run_results.json: the build did not run"]
    results = json.loads(path.read_text())["results"]
    return [f"{r['unique_id']}: {r.get('message') or r['status']}" for r in results
            if r["unique_id"].split(".")[0] in {"model", "snapshot", "seed"}
            and r["status"] in {"error", "runtime error"}]


def check(run_id: str) -> dict:
    """Store the run's check results and close it; raise if dbt could not build a model."""
    from onecouncil.pipelines.runs import close_run
    from onecouncil.quality.run import check_run
    from onecouncil.warehouse import connect

    settings = _settings.load()
    results_dir = run_results_dir(run_id, settings)
    failures = build_failures(results_dir)
    with connect(autocommit=True) as conn:
        verdict = check_run(conn, settings, run_id, results_dir)
    close_run(run_id, "failed" if failures else "success")
    from onecouncil.notify.checks import blocking_failures

    blocking_failures(verdict)  # the data team hears before the DRAFT pack reaches anyone
    summary = {"blocking_failures": len(verdict.blocking_failures),
               "warnings": len(verdict.warnings), "passed": verdict.passed}
    log.info("checks: %s", summary)
    if failures:
        raise RuntimeError("dbt could not build: " + "; ".join(failures[:5]))
    return summary

