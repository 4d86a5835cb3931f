"""The callbacks the DAGs give Airflow: a task failed, a deadline was missed.

Each turns Airflow's context into one alert saying what happened, for which
period, and what to do next, and sends it through `notify` (never raising: an
alert that cannot be sent is recorded, and must not hide the failure it reports).
Imports nothing heavy at the top: DAG files import this module.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)

TZ = "Europe/London"

# What the data team does next, by DAG (prefix match); the last entry is the default.
NEXT_STEPS = (
    ("ingest_landing",
     "A file the task could not read is named in the error above; every refused file is "
     "in ops.files with its reason and bad rows are in ops.quarantine. Fix or replace the "
     "file in the landing folder: the next run (every 15 minutes) picks it up, or clear "
     "the task in the Airflow UI to run it now."),
    ("transform",
     "dbt's error is in the task's log. Fix the model or the raw data it names, then clear "
     "the task in the Airflow UI (or run `onecouncil transform`); the packs follow."),
    ("_packs",
     "Once the cause is fixed, render the pack again: clear the task in the Airflow UI, or "
     "`onecouncil run --period/--quarter/--year <period>`."),
    ("",
     "Read the task's log, fix the cause, then clear the task in the Airflow UI."),
)

# Deadline alerts the DAGs declare (onecouncil.notify.deadlines): what a miss means.
DEADLINES = {
    "monthly-packs-by-0900": (
        "the monthly packs were not rendered by 09:00",
        "The finance pack goes to the Corporate Leadership Team today. Look at the run in "
        "the Airflow UI: a task still running, failed or waiting (for late data or an "
        "approval) is the cause. Once fixed, `onecouncil run --period <period>` renders it."),
    "transform-far-slower-than-usual": (
        "transform is taking far longer than it usually does",
        "Look at the running `dbt_build` task's log in the Airflow UI for the model it is "
        "on; a much larger file than usual, a lock held in the warehouse or a stuck query "
        "(pg_stat_activity) are the usual causes. The packs wait for it."),
}


def _next_step(dag_id: str) -> str:
    return next(text for prefix, text in NEXT_STEPS
                if dag_id.startswith(prefix) or dag_id.endswith(prefix) or not prefix)


def _london(value: Any) -> str:
    import pendulum

    if value is None:
        return "unknown"
    when = pendulum.parse(value) if isinstance(value, str) else pendulum.instance(value)
    return when.in_timezone(TZ).format("YYYY-MM-DD HH:mm zz")


def _period(params: dict | None, when: Any) -> str:
    """The period a run is for: its period/quarter/year param, else the run's day."""
    for name in ("period", "quarter", "year"):
        if (params or {}).get(name):
            return str(params[name])
    return "run of " + _london(when)[:10] if when is not None else "unknown period"


def task_failed(context: dict) -> None:
    """on_failure_callback of every task (default_args of every DAG)."""
    try:
        ti = context["ti"]
        dag_id, task_id, run_id = ti.dag_id, ti.task_id, context.get("run_id") or ti.run_id
        dag_run = context.get("dag_run")
        when = context.get("logical_date") or getattr(dag_run, "run_after", None)
        period = _period(context.get("params"), when)
        error = context.get("exception")
        map_index = getattr(ti, "map_index", -1)
        task = task_id if map_index in (None, -1) else f"{task_id}[{map_index}]"
        log_url = getattr(ti, "log_url", None)
        body = "\n".join([
            f"What happened: task {task} of DAG {dag_id} failed"
            f" (try {ti.try_number}, {_london(datetime.now().astimezone())}).",
            f"Error: {type(error).__name__}: {error}" if error else "Error: see the task's log.",
            f"Period: {period}",
            f"Run: {run_id}",
            f"Log: {log_url}" if log_url else "",
            "",
            f"What to do next: {_next_step(dag_id)}",
        ])
        from onecouncil.notify.send import notify

        notify(f"task-failed:{dag_id}:{run_id}:{task}:{ti.try_number}", "task failed",
               f"{dag_id}: {task} failed ({period})", body, period=period)
    except Exception:  # noqa: BLE001 - an alert must never mask the failure it reports
        log.exception("could not send the task-failure alert")


def deadline_missed(context: dict, alert: str) -> None:
    """The DeadlineAlert callback (SyncCallback) of the pack and transform DAGs.

    Airflow calls it with `context` = {"dag_run": <the run, as JSON>, "deadline":
    {"id", "deadline_time"}} and the kwargs the DAG declared (`alert`). For the monthly
    packs the alert is about the finance pack: a run still open at 09:00 only because it
    waits for sign-off, or on a day no finance pack is due, tells nobody.
    """
    try:
        run = context.get("dag_run") or {}
        deadline = context.get("deadline") or {}
        dag_id, run_id = run.get("dag_id", "?"), run.get("dag_run_id") or run.get("run_id", "?")
        what, next_step = DEADLINES.get(alert, (alert, _next_step(dag_id)))
        when = run.get("logical_date") or run.get("run_after")
        period = _period(run.get("conf"), when)
        if alert == "monthly-packs-by-0900":
            late = _finance_packs_not_rendered(when, (run.get("conf") or {}).get("output"))
            if not late:
                log.info("%s: no finance pack due and unrendered; no alert", run_id)
                return
            period = late
        body = "\n".join([
            f"What happened: {what}. Run {run_id} of DAG {dag_id} had not finished by "
            f"{_london(deadline.get('deadline_time'))} (state: {run.get('state', 'unknown')}).",
            f"Period: {period}",
            "",
            f"What to do next: {next_step}",
        ])
        from onecouncil.notify.send import notify

        notify(f"deadline-missed:{alert}:{dag_id}:{run_id}", "deadline missed",
               f"{dag_id}: {what} ({period})", body, period=period)
    except Exception:  # noqa: BLE001
        log.exception("could not send the deadline alert")


def _finance_packs_not_rendered(when: Any, output: str | None) -> str | None:
    """The periods whose finance pack was due on the run's day and has not been written
    that day, comma-separated; None when there are none."""
    import pendulum

    from onecouncil.due_dates import periods_due_on
    from onecouncil.packs.declarations import BY_NAME
    from onecouncil.packs.output import pack_dir
    from onecouncil.pipelines.packs import output_folder

    if when is None:
        return None
    day = (pendulum.parse(when) if isinstance(when, str) else pendulum.instance(when)
           ).in_timezone(TZ)
    declaration = BY_NAME["finance-outturn"]
    since = day.start_of("day").timestamp()
    folder = output_folder(output)
    late = []
    for period in periods_due_on(day.date(), declaration.due_working_days):
        path = pack_dir(folder, period) / f"{declaration.name}.json"
        if not (path.exists() and path.stat().st_mtime >= since):
            late.append(str(period))
    return ", ".join(late) or None
