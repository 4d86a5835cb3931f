"""
### Quarterly packs (airflow DAG `quarterly_packs`)

Renders the quarter's packs for councillors: `cabinet-quarterly` (Cabinet,
public), `scrutiny-quarterly` (scrutiny committee, public) and
`audit-committee` (audit committee, restricted), from the marts and the latest
check verdict of the `transform` DAG. A pack this version cannot render yet is
skipped, not failed.

- Scheduled every working-day morning (07:00 Europe/London); a run renders the
  quarter whose packs are due that day: the 15th working day after the quarter
  ends, England's bank holidays excluded. On other days the run skips. The
  quarter comes from the run's own date, never a data interval.
- Param `quarter`: render these quarters instead, e.g. `2025-26-Q2` or
  `2025-26-Q1,2025-26-Q2` (`onecouncil run --quarter`).
- Param `output`: the pack folder (default `$ONECOUNCIL_HOME/output`).
- A pack whose blocking checks failed is written marked `DRAFT - data checks failed`.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException
from airflow.timetables.trigger import CronTriggerTimetable

DAG_ID = "quarterly_packs"
PACKS = ("cabinet-quarterly", "scrutiny-quarterly", "audit-committee")


@dag(
    dag_id=DAG_ID,
    schedule=CronTriggerTimetable("0 7 * * 1-5", timezone="Europe/London"),
    start_date=pendulum.datetime(2025, 7, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,
    tags=["packs", "quarterly", "cabinet", "audit"],
    doc_md=__doc__,
    params={
        "quarter": Param(None, type=["null", "string"],
                         description="Quarters to render, e.g. 2025-26-Q2; default: the one due"),
        "output": Param(None, type=["null", "string"],
                        description="Pack folder; default $ONECOUNCIL_HOME/output"),
    },
    default_args={"owner": "data-team", "retries": 1, "retry_delay": timedelta(minutes=5)},
)
def quarterly_packs():
    @task
    def choose_quarters() -> list[str]:
        """The quarters to render: the `quarter` param, else the one due on the run's date."""
        from onecouncil.pipelines.packs import quarters_for_run

        context = get_current_context()
        when = context.get("logical_date") or context["dag_run"].run_after
        day = pendulum.instance(when).in_timezone("Europe/London").date()
        quarters = quarters_for_run(context["params"].get("quarter"), day)
        if not quarters:
            raise AirflowSkipException(f"no quarterly pack is due on {day}")
        return [str(q) for q in quarters]

    def render_task(pack: str):
        @task(task_id=f"render_{pack.replace('-', '_')}", doc_md=f"Render `{pack}`.")
        def render(quarters: list[str]) -> list[str]:
            from onecouncil.pipelines.packs import is_available, render_quarterly

            if not is_available(pack):
                raise AirflowSkipException(f"{pack} is not part of this version")
            return render_quarterly(pack, quarters, get_current_context()["params"].get("output"))

        return render

    quarters = choose_quarters()
    for pack in PACKS:
        render_task(pack)(quarters)


quarterly_packs_dag = quarterly_packs()
