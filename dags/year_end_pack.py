"""
### Year-end summary (airflow DAG `year_end_pack`)

Renders the public `year-end` pack, the Chief Executive's summary of the year's
achievements: Council Plan actions completed, indicators at year end against
target, and the revenue outturn, from the marts and the latest check verdict of
the `transform` DAG.

- Scheduled every working-day morning (07:00 Europe/London); a run renders the
  year whose summary is due that day: the 15th working day after period 13
  (year-end adjustments) closes on 30 April. On other days the run skips.
- Param `year`: render this fiscal year instead, e.g. `2025-26`
  (`onecouncil run --year`).
- Param `output`: the pack folder (default `$ONECOUNCIL_HOME/output`).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException
from airflow.timetables.trigger import CronTriggerTimetable

DAG_ID = "year_end_pack"
PACK = "year-end"


@dag(
    dag_id=DAG_ID,
    schedule=CronTriggerTimetable("0 7 * * 1-5", timezone="Europe/London"),
    start_date=pendulum.datetime(2026, 4, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,
    tags=["packs", "annual", "year-end"],
    doc_md=__doc__,
    params={
        "year": Param(None, type=["null", "string"],
                      description="Fiscal year to summarise, e.g. 2025-26; default: the one due"),
        "output": Param(None, type=["null", "string"],
                        description="Pack folder; default $ONECOUNCIL_HOME/output"),
    },
    default_args={"owner": "data-team", "retries": 1, "retry_delay": timedelta(minutes=5)},
)
def year_end_pack():
    @task
    def choose_years() -> list[str]:
        """The year to summarise: the `year` param, else the one due on the run's date."""
        from onecouncil.pipelines.packs import years_for_run

        context = get_current_context()
        when = context.get("logical_date") or context["dag_run"].run_after
        day = pendulum.instance(when).in_timezone("Europe/London").date()
        years = years_for_run(context["params"].get("year"), day)
        if not years:
            raise AirflowSkipException(f"no year-end summary is due on {day}")
        return [str(y) for y in years]

    @task
    def render_year_end(years: list[str]) -> list[str]:
        """Render the `year-end` pack for each year."""
        from onecouncil.pipelines.packs import is_available, render_annual

        if not is_available(PACK):
            raise AirflowSkipException(f"{PACK} is not part of this version")
        return render_annual(PACK, years, get_current_context()["params"].get("output"))

    render_year_end(choose_years())


year_end_pack_dag = year_end_pack()
