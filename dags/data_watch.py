"""
### Data watch (airflow DAG `data_watch`)

Every morning at 06:30 Europe/London, before the pack DAGs' 07:00 run, this DAG
looks for data that is late or missing and tells the data team (email and
`ops.notifications`, once per event):

- `check_freshness`: each feed that declares a cadence (`onecouncil/feeds/registry.py`,
  from `contracts/sources.md`: ledger, forecasts, indicator values and the risk
  register monthly, contacts daily, training quarterly, ...) is judged from
  `ops.files`. A late feed is a `warning` in `ops.check_results` naming the feed and
  the last file received; the next pack shows it in its data-quality section.
- `chase_forecasts`: from the 10th calendar day after a period ends until its
  monthly packs are due, the cost centres with no forecast submission for it
  (from the transform's compliance model) are sent to the data team, once.

The run's day comes from the run itself (never a data interval).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import CronTriggerTimetable, dag, get_current_context, task

from onecouncil.notify.airflow import task_failed

DAG_ID = "data_watch"


def _run_day():
    context = get_current_context()
    when = context.get("logical_date") or context["dag_run"].run_after
    return context["run_id"], pendulum.instance(when).in_timezone("Europe/London")


@dag(
    dag_id=DAG_ID,
    schedule=CronTriggerTimetable("30 6 * * *", timezone="Europe/London"),
    start_date=pendulum.datetime(2025, 4, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,
    tags=["alerts", "freshness", "forecasts"],
    doc_md=__doc__,
    default_args={"owner": "data-team", "retries": 1, "retry_delay": timedelta(minutes=5),
                  "on_failure_callback": task_failed},
)
def data_watch():
    @task
    def check_freshness() -> dict:
        """Store each feed's freshness as a check; alert each late feed once."""
        from onecouncil.pipelines.watch import check_freshness as check

        run_id, when = _run_day()
        return check(run_id, when)

    @task
    def chase_forecasts() -> dict:
        """On the chase day, send the cost centres with no forecast submission."""
        from onecouncil.pipelines.watch import chase_forecasts as chase

        return chase(_run_day()[1].date())

    check_freshness() >> chase_forecasts()


data_watch_dag = data_watch()
