"""
### Pack DAGs (airflow DAGs `monthly_packs`, `quarterly_packs`, `annual_packs`)

One DAG per cadence, generated from the pack declarations
(`onecouncil/packs/declarations.py`), with one `render_<pack>` task per pack of
that cadence. A task renders its pack from the report models and the latest
check verdict of the `transform` DAG:

- Scheduled every working-day morning (07:00 Europe/London); each pack renders
  the periods whose pack is due that day by its declared due rule (the 10th
  working day after a period closes for the monthly packs, the 15th after a
  quarter or period 13 for the others; England's bank holidays excluded). On
  other days the task skips. The period comes from the run's own date, never a
  data interval.
- Also scheduled on the marts' Assets (`marts.finance`, `marts.performance`,
  `marts.risk`, `marts.audit`): when `transform` publishes, each pack renders
  again every period already due whose data its pack does not show yet (late
  files, a restated period, a first load of past periods). A period not yet due
  waits for its day.
- Param `period`, `quarter` or `year`: render these instead, comma-separated,
  e.g. `2025-26-P05,2025-26-P06`, `2025-26-Q2`, `2025-26` (`onecouncil run`).
- Param `output`: the pack folder (default `$ONECOUNCIL_HOME/output`).
- A section whose data has not arrived says it is not yet available and which
  feed it waits for; the pack still renders. A pack whose blocking checks
  failed is written marked `DRAFT - data checks failed`.
- Sign-off: each rendered pack is stamped `Awaiting sign-off` and its
  `approve_<pack>` task (one per period, Airflow human-in-the-loop approval) waits
  for the pack's approver in Required actions, the REST API or `onecouncil signoff`.
  Approve stamps it Final with the approver's name and time; `publish_<pack>` then
  publishes a public pack into `$ONECOUNCIL_HOME/published`. Reject records the
  reason and keeps it unpublished. A draft cannot be approved.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import (AssetOrTimeSchedule, CronTriggerTimetable, Param, dag,
                         get_current_context, task)
from airflow.sdk.exceptions import AirflowSkipException

from onecouncil.assets import MART_SUBJECTS, marts_asset

from onecouncil.notify import deadlines
from onecouncil.notify.airflow import task_failed
from onecouncil.packs.declarations import CADENCES, Cadence, PackDeclaration, of_cadence


def _render_task(pack: PackDeclaration):
    @task(task_id=f"render_{pack.name.replace('-', '_')}",
          doc_md=f"Render `{pack.name}` ({pack.title}; {pack.classification.lower()}, "
                 f"for {pack.audience}; signed off by the {pack.approver}).")
    def render() -> list[dict]:
        from onecouncil.pipelines.packs import for_run, render_periods

        context = get_current_context()
        when = context.get("logical_date") or context["dag_run"].run_after
        day = pendulum.instance(when).in_timezone("Europe/London").date()
        run_type = context["dag_run"].run_type
        published = str(getattr(run_type, "value", run_type)) == "asset_triggered"
        periods = for_run(pack.name, context["params"].get(pack.cadence.param), day,
                          data_published=published, output=context["params"].get("output"))
        if not periods:
            raise AirflowSkipException(
                f"every {pack.name} pack due by {day} already shows the published data"
                if published else f"no {pack.name} pack is due on {day}")
        return render_periods(pack.name, periods, context["params"].get("output"))

    return render


def _approval_task(pack: PackDeclaration):
    """One approval per rendered period, waiting for the pack's approver (human in the
    loop); a draft is never put up for sign-off."""
    from onecouncil.signoff.approvers import approver_of, assigned_users
    from onecouncil.signoff.operator import PackApproval

    return PackApproval.partial(
        task_id=f"approve_{pack.name.replace('-', '_')}", pack=pack.name,
        assigned_users=assigned_users(pack), map_index_template="{{ task.period }}",
        doc_md=f"Sign-off of `{pack.name}` by the {approver_of(pack)}: Approve stamps the "
               "pack Final with the approver's name and time"
               + (" and publishes it" if pack.public else "")
               + "; Reject (with a reason) keeps it unpublished and tells the data team.")


def _publish_task(pack: PackDeclaration):
    @task(task_id=f"publish_{pack.name.replace('-', '_')}",
          trigger_rule="none_failed_min_one_success",
          doc_md=f"Publish the approved `{pack.name}` packs of this run into "
                 "$ONECOUNCIL_HOME/published (a new version for a restated period).")
    def publish() -> list[dict]:
        from onecouncil.pipelines.packs import publish_approved

        context = get_current_context()
        run = context["dag_run"]
        return publish_approved(pack.name, run.dag_id, run.run_id,
                                context["params"].get("output"))

    return publish


def _any_of(assets):
    schedule = assets[0]
    for asset in assets[1:]:
        schedule = schedule | asset
    return schedule


def _pack_dag(cadence: Cadence):
    packs = of_cadence(cadence)

    @dag(
        dag_id=cadence.dag_id,
        # the working-day morning, or whenever the transform publishes the marts
        schedule=AssetOrTimeSchedule(
            timetable=CronTriggerTimetable("0 7 * * 1-5", timezone="Europe/London"),
            assets=_any_of([marts_asset(s) for s in MART_SUBJECTS])),
        start_date=pendulum.datetime(cadence.first_run.year, cadence.first_run.month,
                                     cadence.first_run.day, tz="Europe/London"),
        catchup=False,
        max_active_runs=1,
        tags=["packs", cadence.name, *(p.name for p in packs)],
        doc_md=__doc__ + "\n\nThis DAG renders: " + ", ".join(
            f"`{p.name}` ({p.classification.lower()})" for p in packs) + ".",
        params={
            cadence.param: Param(None, type=["null", "string"],
                                 description=f"{cadence.param.capitalize()}s to render, e.g. "
                                             f"{cadence.example}; default: those due"),
            "output": Param(None, type=["null", "string"],
                            description="Pack folder; default $ONECOUNCIL_HOME/output"),
        },
        default_args={"owner": "data-team", "retries": 1, "retry_delay": timedelta(minutes=5),
                      "on_failure_callback": task_failed,  # the data team is emailed
                      "priority_weight": cadence.priority},  # monthly first: due soonest
        deadline=deadlines.for_cadence(cadence.name),  # finance pack by 09:00
    )
    def pack_dag():
        for pack in packs:
            requests = _render_task(pack)()
            approval = _approval_task(pack).expand_kwargs(requests)
            if pack.public:
                approval >> _publish_task(pack)()

    return pack_dag()


for _cadence in CADENCES:
    globals()[f"{_cadence.dag_id}_dag"] = _pack_dag(_cadence)
