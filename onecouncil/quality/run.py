"""One verdict per transform run: dbt's tests and the GX suites, stored together.

The transform DAG's check task calls `check_run` after `dbt build`. GX is only
imported when the suites run, inside `gx_checks.run_suites`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import psycopg

from onecouncil.quality import carried
from onecouncil.quality import results as _results
from onecouncil.quality.dbt_results import from_run_results
from onecouncil.quality.results import CheckResult, Verdict
from onecouncil.settings import Settings

log = logging.getLogger(__name__)


def dbt_checks(run_results_dir: str | Path | None) -> list[CheckResult]:
    """dbt's checks from `<dir>/run_results.json` and `<dir>/manifest.json`.

    Without artifacts (dbt did not run, or crashed before writing them) the run
    gets one blocking `error` check: a pack must not look final on no evidence.
    """
    if run_results_dir is None:
        return []
    folder = Path(run_results_dir)
    run_results, manifest = folder / "run_results.json", folder / "manifest.json"
    if not run_results.exists() or not manifest.exists():
        return [CheckResult(
            source="dbt", check_name="dbt artifacts", relation=None, severity="blocking",
            status="error",
            message=f"no run_results.json and manifest.json in {folder}: dbt's tests did not run")]
    return from_run_results(run_results, manifest)


def check_run(conn: psycopg.Connection, settings: Settings, run_id: str,
              run_results_dir: str | Path | None, *, gx_suites=None,
              build_docs: bool = True, plan=None) -> Verdict:
    """Collect dbt and GX results for `run_id`, store them (replacing any earlier
    ones for the run) and return the run's verdict.

    With the `plan` of a partial build (transform.selection), GX runs only the suites
    reading a relation dbt rebuilt, and every dbt and GX check not run this time is
    carried forward from the run that last ran it (quality.carried)."""
    from onecouncil.quality.gx_checks import run_suites

    checks = dbt_checks(run_results_dir)
    carry: dict[str, set[str] | dict[str, str] | None] = {}
    no_artifacts = any(c.check_name == "dbt artifacts" for c in checks)
    partial = plan is not None and not plan.full and gx_suites is None and not no_artifacts
    if not partial:
        checks += run_suites(settings, run_id, suites=gx_suites, build_docs=build_docs)
    else:
        folder = Path(run_results_dir)
        carry["dbt"] = carried.dbt_check_names(folder)
        rebuilt = carried.rebuilt_relations(folder)
        if not rebuilt and not plan.expectations_changed:
            log.info("GX: nothing rebuilt and no suite changed: every GX result carried forward")
            carry["gx"] = None
        else:
            from onecouncil.quality.gx_checks import load_suites

            suites = load_suites()
            wanted = (None if plan.expectations_changed
                      else carried.suites_to_run(suites, rebuilt))
            log.info("GX: %s", "every suite (the suites changed)" if wanted is None
                     else f"suites reading what was rebuilt: {', '.join(wanted) or 'none'}")
            if wanted is None or wanted:
                checks += run_suites(settings, run_id, suites=wanted, build_docs=build_docs)
            carry["gx"] = carried.gx_check_names(suites)
    failed, warned = _results.store(conn, run_id, checks, carry_forward=carry)
    log.info("checks for %s: %d run, %d blocking failures, %d warnings", run_id, len(checks),
             failed, warned)
    return _results.verdict(conn, run_id)
