"""
### Monthly finance packs (airflow DAG `finance_monthly_packs`)

Renders the `finance-outturn` pack (Corporate Leadership Team, restricted) and
the `transparency-spend` publication (public) for a fiscal period, from the
finance marts and the latest check verdict of the `transform` DAG.

- Scheduled every working-day morning (07:00 Europe/London); a run renders the
  periods whose pack is due that day: the 10th working day after the period
  ends, England's bank holidays excluded (none on most days: the run then
  skips). The period comes from the run's own date, never a data interval.
- Param `period`: render these periods instead, e.g. `2025-26-P05` or
  `2025-26-P01,2025-26-P02` (any past period; `onecouncil run --period`).
- Param `output`: the pack folder (default `$ONECOUNCIL_HOME/output`).
- A pack whose blocking checks failed is written marked `DRAFT - data checks failed`.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException
from airflow.timetables.trigger import CronTriggerTimetable

DAG_ID = "finance_monthly_packs"


@dag(
    dag_id=DAG_ID,
    schedule=CronTriggerTimetable("0 7 * * 1-5", timezone="Europe/London"),
    start_date=pendulum.datetime(2025, 5, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,
    tags=["packs", "finance", "monthly"],
    doc_md=__doc__,
    params={
        "period": Param(None, type=["null", "string"],
                        description="Periods to render, e.g. 2025-26-P06; default: those due"),
        "output": Param(None, type=["null", "string"],
                        description="Pack folder; default $ONECOUNCIL_HOME/output"),
    },
    default_args={"owner": "data-team", "retries": 1, "retry_delay": timedelta(minutes=5)},
)
def finance_monthly_packs():
    @task
    def choose_periods() -> list[str]:
        """The periods to render: the `period` param, else those due on the run's date."""
        from onecouncil.pipelines.packs import periods_for_run

        context = get_current_context()
        when = context.get("logical_date") or context["dag_run"].run_after
        day = pendulum.instance(when).in_timezone("Europe/London").date()
        periods = periods_for_run(context["params"].get("period"), day)
        if not periods:
            raise AirflowSkipException(f"no monthly pack is due on {day}")
        return [str(p) for p in periods]

    @task
    def render_finance_outturn(periods: list[str]) -> list[str]:
        from onecouncil.pipelines.packs import render_monthly

        return render_monthly("finance-outturn", periods,
                              get_current_context()["params"].get("output"))

    @task
    def render_transparency_spend(periods: list[str]) -> list[str]:
        from onecouncil.pipelines.packs import render_monthly

        return render_monthly("transparency-spend", periods,
                              get_current_context()["params"].get("output"))

    periods = choose_periods()
    render_finance_outturn(periods)
    render_transparency_spend(periods)


finance_monthly_packs_dag = finance_monthly_packs()
