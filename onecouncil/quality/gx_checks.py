"""Run the Great Expectations suites of expectations/ against the warehouse.

The GX file context lives in $ONECOUNCIL_HOME/gx (never in git) and is rebuilt
from expectations/*.py at every call: data source, assets, batch definitions,
suites, validation definitions and one checkpoint are added or updated, so the
code is the only source of truth. Data Docs are written to
$ONECOUNCIL_HOME/gx/uncommitted/data_docs/local_site/index.html.

GX's validation results and their Data Docs pages are kept for the last
ONECOUNCIL_GX_KEEP_RUNS runs (30): ops.check_results keeps every run's results for
good, and GX reads every stored result to build its Data Docs index, so that step
would otherwise grow with each run the service makes (`prune_results`).

GX takes seconds to import and to initialise, so it is imported inside the
functions here only; nothing a DAG file imports at parse time pulls it in.
"""

from __future__ import annotations

import fcntl
import glob
import importlib.util
import logging
import os
import re
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from onecouncil.quality.results import CheckResult
from onecouncil.settings import REPO_ROOT, Settings

log = logging.getLogger(__name__)

EXPECTATIONS_DIR = REPO_ROOT / "expectations"
DATASOURCE = "warehouse"
CHECKPOINT = "onecouncil"
# GX substitutes ${...} from the environment, so the URL (and any password in
# it) is never written into gx/great_expectations.yml.
URL_VARIABLE = "ONECOUNCIL_GX_WAREHOUSE_URL"

# Seconds spent in each step of the last call, for logs and the README.
timings: dict[str, float] = {}


def gx_root(settings: Settings) -> Path:
    return settings.home / "gx"


def docs_index(settings: Settings) -> Path:
    return gx_root(settings) / "uncommitted" / "data_docs" / "local_site" / "index.html"


def sqlalchemy_url(libpq_url: str) -> str:
    """postgresql://... (libpq) -> postgresql+psycopg://... (SQLAlchemy, psycopg 3)."""
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", libpq_url)


def load_suites():
    """Every Suite defined by the expectations/*.py modules, in file order."""
    found = []
    for path in sorted(EXPECTATIONS_DIR.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"onecouncil_expectations.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        # dataclasses look their module up in sys.modules while the file runs.
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        if hasattr(module, "suites"):
            found += module.suites()
    names = [s.name for s in found]
    if len(names) != len(set(names)):
        raise ValueError(f"two suites share a name in {EXPECTATIONS_DIR}: {sorted(names)}")
    for suite in found:
        # the check name is part of ops.check_results' key
        checks = [_check_name(suite.name, e) for e in suite.expectations]
        if len(checks) != len(set(checks)):
            raise ValueError(f"two expectations of suite {suite.name} share a description")
    return found


def _quietly(delete, name: str) -> None:
    try:
        delete(name)
    except Exception as exc:  # absent, or unreadable: either way it is rebuilt
        log.debug("GX: nothing to delete for %s (%s)", name, exc)


def _check_name(suite_name: str, expectation) -> str:
    described = expectation.description or (
        f"{expectation.expectation_type} {getattr(expectation, 'column', '') or ''}".strip())
    return f"{suite_name}: {described}"


def _severity(expectation) -> str:
    return (expectation.meta or {}).get("severity", "blocking")


@contextmanager
def _locked(root: Path):
    # Two runs sharing a home (a backfill beside a scheduled run) must not
    # rewrite the file context under each other.
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".onecouncil.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prune_results(root: Path, keep: int, current: str) -> list[str]:
    """Remove the stored validation results and Data Docs pages of every run but the
    newest `keep` (the run `current`, being checked, among them), and of a kept run
    checked more than once all but its latest check; the runs removed.

    Both stores are folders `<suite>/<run name>/<run time>/...` (GX's filesystem
    backends), so a run's newest run time orders the runs. Removed before the checkpoint
    runs, the Data Docs index it rebuilds lists only the runs kept."""
    stores = [root / "uncommitted" / "validations",
              root / "uncommitted" / "data_docs" / "local_site" / "validations"]
    newest: dict[str, str] = {}
    for suite in stores[0].glob("*"):
        for run in suite.glob("*"):
            times = [t.name for t in run.iterdir()] if run.is_dir() else []
            newest[run.name] = max([newest.get(run.name, ""), *times])
    ordered = sorted((name for name in newest if name != current),
                     key=lambda name: newest[name], reverse=True)
    gone = ordered[max(keep - 1, 0):]
    for name in gone:
        for store in stores:
            for folder in store.glob(f"*/{glob.escape(name)}"):
                shutil.rmtree(folder, ignore_errors=True)
    # a run checked again (a retried check task) supersedes its earlier results
    for store in stores:
        for run in store.glob("*/*"):
            for earlier in sorted(t for t in run.iterdir() if t.is_dir())[:-1]:
                shutil.rmtree(earlier, ignore_errors=True)
    return gone


def _missing_relations(settings: Settings, relations) -> list[str]:
    from onecouncil.warehouse import connect

    with connect(settings, autocommit=True) as conn:
        return [r for r in relations
                if conn.execute("select to_regclass(%s)", (r,)).fetchone()[0] is None]


def _skipped(suite, missing: list[str]) -> list[CheckResult]:
    message = (f"not checked: {', '.join(missing)} does not exist yet "
               "(the transform has not built it)")
    return [CheckResult(source="gx", check_name=_check_name(suite.name, e),
                        relation=suite.relation, severity=_severity(e), status="skipped",
                        message=message) for e in suite.expectations]


def _to_result(suite, expectation_result) -> CheckResult:
    config = expectation_result.expectation_config
    meta = config.meta or {}
    severity = meta.get("severity", "blocking")
    described = config.description or f"{config.type} {config.kwargs.get('column', '')}".strip()
    result = expectation_result.result or {}
    exception = expectation_result.exception_info or {}
    if exception.get("raised_exception"):
        message = (exception.get("exception_message") or "the check could not run").strip()
        return CheckResult("gx", f"{suite.name}: {described}", suite.relation, severity,
                           "error", None, message[:2000])

    failing = result.get("unexpected_count")
    if failing is None and config.type == "unexpected_rows_expectation":
        failing = result.get("observed_value")
    status = "pass" if expectation_result.success else "fail"
    message = None
    if status == "fail":
        examples = result.get("partial_unexpected_list") or []
        message = f"{failing} rows failed" if failing is not None else "failed"
        if examples:
            message += "; for example: " + ", ".join(str(v) for v in examples[:5])
        if failing is None and result.get("observed_value") is not None:
            message = f"observed {result['observed_value']}"
    return CheckResult("gx", f"{suite.name}: {described}", suite.relation, severity, status,
                       int(failing) if isinstance(failing, int | float) else None, message)


def run_suites(settings: Settings, run_id: str, *, suites=None,
               build_docs: bool = True) -> list[CheckResult]:
    """Validate the warehouse with every suite (or those named); one CheckResult each check.

    A suite whose relation does not exist yet (marts not built) gives `skipped`
    results, not an error. `run_id` tags the GX run so Data Docs list runs by it.
    """
    from onecouncil.warehouse import server

    timings.clear()
    started = time.perf_counter()
    selected = load_suites()
    all_names = [s.name for s in selected]
    if suites is not None:
        wanted = set(suites)
        unknown = wanted - {s.name for s in selected}
        if unknown:
            raise ValueError(f"no such suite: {', '.join(sorted(unknown))}")
        selected = [s for s in selected if s.name in wanted]
    timings["import"] = time.perf_counter() - started  # loading the suites imports GX

    results: list[CheckResult] = []
    runnable = []
    missing_by_suite = {}
    needed = sorted({r for s in selected for r in s.needed})
    missing_all = set(_missing_relations(settings, needed))
    for suite in selected:
        missing = [r for r in suite.needed if r in missing_all]
        if missing:
            missing_by_suite[suite.name] = missing
            results += _skipped(suite, missing)
        else:
            runnable.append(suite)
    if not runnable:
        log.warning("GX: nothing to check, every suite's relation is missing")
        return results

    # GX reads what dbt built, as dbt's role (warehouse.roles)
    os.environ[URL_VARIABLE] = sqlalchemy_url(server(settings).url(role="transformer"))
    root = gx_root(settings)
    with _locked(root):
        import great_expectations as gx
        from great_expectations.checkpoint import UpdateDataDocsAction
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.base import ProgressBarsConfig

        # GX logs its own workings (registrations, config substitution, defaults) once per
        # expectation: the task log keeps our results and GX's warnings only.
        logging.getLogger("great_expectations").setLevel(logging.WARNING)
        step = time.perf_counter()
        context = gx.get_context(mode="file", project_root_dir=str(settings.home))
        bars = context.variables.progress_bars
        bars = bars.to_dict() if hasattr(bars, "to_dict") else dict(bars or {})
        if bars.get("globally", True):
            # Progress bars fill Airflow task logs with carriage returns.
            context.variables.progress_bars = ProgressBarsConfig(globally=False)
            context.variables.save()
        # Rebuilt from code at every call, in dependency order (checkpoint ->
        # validation definitions -> assets -> data source): reusing stored assets
        # across calls in one process loses their data context (GX 1.24), and
        # code is the only source of truth anyway.
        _quietly(context.checkpoints.delete, CHECKPOINT)
        for name in all_names:
            _quietly(context.validation_definitions.delete, name)
        if DATASOURCE in context.data_sources.all():
            context.data_sources.delete(DATASOURCE)
        datasource = context.data_sources.add_postgres(
            name=DATASOURCE, connection_string="${" + URL_VARIABLE + "}")
        definitions = []
        for suite in runnable:
            # A table is a query asset too: GX 1.x deprecates table assets' schema_name.
            query = (suite.query or f"select * from {suite.relation}").strip()
            if not re.match(r"(?i)select\s", query):  # GX takes only SELECT ..., not WITH
                query = f"select * from ({query}) as q"
            asset = datasource.add_query_asset(name=suite.name, query=query)
            batch = asset.add_batch_definition_whole_table("current")
            gx_suite = context.suites.add_or_update(gx.ExpectationSuite(
                name=suite.name, expectations=[e.copy() for e in suite.expectations],
                meta={"relation": suite.relation}))
            definitions.append(context.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)))
        actions = [UpdateDataDocsAction(name="data_docs")] if build_docs else []
        context.checkpoints.add(gx.Checkpoint(
            name=CHECKPOINT, validation_definitions=definitions, actions=actions,
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5}))
        checkpoint = context.checkpoints.get(CHECKPOINT)
        pruned = prune_results(root, settings.gx_keep_runs, run_id)
        if pruned:
            log.info("GX: removed the stored results of %d older runs (keeping %d)",
                     len(pruned), settings.gx_keep_runs)
        timings["context"] = time.perf_counter() - step

        step = time.perf_counter()
        outcome = checkpoint.run(run_id=RunIdentifier(run_name=run_id))
        timings["run"] = time.perf_counter() - step

    by_name = {s.name: s for s in runnable}
    for validation in outcome.run_results.values():
        suite = by_name[validation.suite_name]
        results += [_to_result(suite, r) for r in validation.results]
    timings["total"] = time.perf_counter() - started
    log.info("GX: %d checks (%d skipped) in %.1fs (import %.1fs, context %.1fs, run %.1fs)%s",
             len(results), sum(r.status == "skipped" for r in results), timings["total"],
             timings["import"], timings["context"], timings["run"],
             f"; Data Docs: {docs_index(settings)}" if build_docs else "")
    return results
