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


def dbt_build(run_id: str, full_refresh: bool = False) -> dict:
    """One `dbt build`: of everything, or of what changed since the last successful run
    (onecouncil.transform.selection); its artifacts and plan are kept for the check task.

    Test failures are not task failures: the check task turns them into the
    run's verdict. A model dbt could not build fails the check task instead.
    """
    from onecouncil.transform.dbt import run_dbt
    from onecouncil.transform.selection import plan, reuse_parse, state_dir
    from onecouncil.warehouse import connect

    settings = _settings.load()
    dest = run_results_dir(run_id, settings)
    dest.mkdir(parents=True, exist_ok=True)
    with connect(autocommit=True) as conn:
        chosen = plan(conn, settings, full_refresh=full_refresh)
    (dest / "plan.json").write_text(chosen.to_json())
    reuse_parse(dest, settings)
    log.info("dbt build: %s (%s)", "full" if chosen.full else " ".join(chosen.select),
             chosen.reason)
    result = run_dbt(["build", "--target-path", str(dest),
                      *chosen.dbt_args(state_dir(settings), full_refresh)], settings)
    if result.exception is not None:
        raise RuntimeError(f"dbt could not run: {result.exception}")
    statuses: dict[str, int] = {}
    for r in result.result or []:
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1
    if not statuses:
        log.info("nothing loaded since run %s and nothing changed in the project: "
                 "nothing to build", chosen.since_run)
    log.info("dbt build: %s", statuses)
    return {"full": chosen.full, "reason": chosen.reason, "feeds": list(chosen.feeds),
            "nodes": statuses}


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


def _plan(results_dir: Path):
    from onecouncil.transform.selection import Plan

    path = results_dir / "plan.json"
    return Plan.from_json(path.read_text()) if path.exists() else None


def check(run_id: str) -> dict:
    """Store the run's check results and close it; raise if dbt could not build a model."""
    from onecouncil.pipelines.runs import close_run
    from onecouncil.quality.run import check_run
    from onecouncil.warehouse import connect

    settings = _settings.load()
    results_dir = run_results_dir(run_id, settings)
    failures = build_failures(results_dir)
    built = _plan(results_dir)
    with connect(role="transformer", autocommit=True) as conn:  # writes ops.check_results
        verdict = check_run(conn, settings, run_id, results_dir, plan=built)
    close_run(run_id, "failed" if failures else "success")
    if not failures and built is not None:
        from onecouncil.transform.selection import save_state

        # the next run rebuilds what changed after this one
        save_state(run_id, results_dir, built, settings)
    from onecouncil.notify.checks import blocking_failures

    blocking_failures(verdict)  # the data team hears before the DRAFT pack reaches anyone
    summary = {"blocking_failures": len(verdict.blocking_failures),
               "warnings": len(verdict.warnings), "passed": verdict.passed}
    log.info("checks: %s", summary)
    if failures:
        raise RuntimeError("dbt could not build: " + "; ".join(failures[:5]))
    return summary

