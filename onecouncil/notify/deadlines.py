"""The DAGs' DeadlineAlerts (Airflow 3 `deadline=`), declared once.

- Monthly packs: the run of a working day's 07:00 schedule must finish by 09:00
  Europe/London. Airflow measures from the run's logical date (07:00 for a
  scheduled run) plus two hours; a run started by an Asset or by hand has no
  logical date, so Airflow creates no deadline for it. A run still open at 09:00
  (waiting for sign-off, say) alerts only if a finance pack was due that day and is
  not on disk (notify.airflow.deadline_missed): "not rendered by 09:00".
- Transform: a run taking the average of its last 10 runs plus 30 minutes
  (Airflow's AVERAGE_RUNTIME; no deadline until 3 runs have finished).
The callback runs on the executor (SyncCallback): it sends a blocking email.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk.definitions.callback import SyncCallback
from airflow.sdk.definitions.deadline import DeadlineAlert, DeadlineReference

CALLBACK = "onecouncil.notify.airflow.deadline_missed"
PACKS_RUN_AT_HOUR = 7  # dags/packs.py's schedule: 07:00 every working day
PACKS_DUE_BY_HOUR = 9
TRANSFORM_SLACK = timedelta(minutes=30)


def monthly_packs() -> DeadlineAlert:
    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_LOGICAL_DATE,
        interval=timedelta(hours=PACKS_DUE_BY_HOUR - PACKS_RUN_AT_HOUR),
        callback=SyncCallback(CALLBACK, kwargs={"alert": "monthly-packs-by-0900"}),
        name="monthly packs rendered by 09:00")


def for_cadence(cadence_name: str) -> DeadlineAlert | None:
    """The deadline of a pack DAG: the monthly packs only (the finance pack's 09:00)."""
    return monthly_packs() if cadence_name == "monthly" else None


def transform() -> DeadlineAlert:
    return DeadlineAlert(
        reference=DeadlineReference.AVERAGE_RUNTIME(max_runs=10, min_runs=3),
        interval=TRANSFORM_SLACK,
        callback=SyncCallback(CALLBACK, kwargs={"alert": "transform-far-slower-than-usual"}),
        name="transform far slower than usual")
