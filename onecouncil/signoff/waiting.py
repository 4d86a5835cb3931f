"""The approvals Airflow waits on, read and answered directly on its metadata database.

With no service running, `onecouncil signoff` answers here: the same writes as the REST
API's `PATCH .../hitlDetails` (airflow/api_fastapi/core_api/routes/public/hitl.py), the
response on the `hitl_detail` row and the task handed back to be resumed, then the rest
of the run (the approval's completion, publish) run in this process, as `dag.test()`
does. Airflow must be configured (airflow_runner.airflow_env) before this is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from onecouncil.packs.declarations import BY_NAME

TASK_PREFIX = "approve_"


class NotWaiting(Exception):
    """No approval of that pack and period is waiting."""


@dataclass(frozen=True)
class Waiting:
    pack: str
    period: str
    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    subject: str
    body: str
    asked_at: datetime
    params: dict[str, Any]


def _pack_of(task_id: str) -> str | None:
    name = task_id.removeprefix(TASK_PREFIX).replace("_", "-")
    return name if task_id.startswith(TASK_PREFIX) and name in BY_NAME else None


def waiting(session) -> list[Waiting]:
    """Every pack approval that is waiting for an answer, oldest first."""
    from sqlalchemy import select

    from airflow.models.hitl import HITLDetail
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.state import TaskInstanceState

    rows = session.execute(
        select(HITLDetail, TaskInstance).join(TaskInstance, TaskInstance.id == HITLDetail.ti_id)
        .where(HITLDetail.responded_at.is_(None),
               TaskInstance.state == TaskInstanceState.AWAITING_INPUT,
               TaskInstance.task_id.startswith(TASK_PREFIX))
        .order_by(HITLDetail.created_at)).all()
    return [Waiting(pack, ti.rendered_map_index or "", ti.dag_id, ti.run_id, ti.task_id,
                    ti.map_index, detail.subject, detail.body or "", detail.created_at,
                    dict(detail.params or {}))
            for detail, ti in rows if (pack := _pack_of(ti.task_id))]


def find(session, pack: str, period: str) -> Waiting:
    found = [w for w in waiting(session) if w.pack == pack and w.period == period]
    if not found:
        raise NotWaiting(f"no sign-off of {pack} {period} is waiting: `onecouncil signoff "
                         "list` shows what is; a draft (data checks failed) is never put up "
                         "for sign-off")
    return found[-1]


def params_input(w: Waiting, values: dict[str, Any]) -> dict[str, Any]:
    """Every field of the approval's form (the operator checks all are answered)."""
    return {key: values.get(key, (spec or {}).get("value")) for key, spec in w.params.items()}


def answer(session, w: Waiting, *, approve: bool, by: str,
           values: dict[str, Any], at: datetime | None = None) -> None:
    """Record the answer (given at `at`, default now) and hand the task back to be
    resumed, in one transaction."""
    from sqlalchemy import select

    from airflow._shared.timezones import timezone
    from airflow.models.hitl import HITLDetail
    from airflow.models.taskinstance import TaskInstance
    from airflow.models.trigger import handle_event_submit
    from airflow.triggers.base import TriggerEvent
    from airflow.utils.state import TaskInstanceState

    ti = session.scalar(select(TaskInstance).where(
        TaskInstance.dag_id == w.dag_id, TaskInstance.run_id == w.run_id,
        TaskInstance.task_id == w.task_id, TaskInstance.map_index == w.map_index)
        .with_for_update(of=TaskInstance))
    detail = session.scalar(select(HITLDetail).where(HITLDetail.ti_id == ti.id)
                            .with_for_update(of=HITLDetail))
    if detail.responded_at is not None or ti.state != TaskInstanceState.AWAITING_INPUT:
        session.rollback()
        raise NotWaiting(f"{w.pack} {w.period} was answered meanwhile")
    detail.responded_by = {"id": by, "name": by}
    detail.responded_at = at or timezone.utcnow()
    detail.chosen_options = ["Approve" if approve else "Reject"]
    detail.params_input = params_input(w, values)
    session.add(detail)
    handle_event_submit(TriggerEvent(detail.as_resume_event_payload()), task_instance=ti,
                        session=session)
    session.commit()


def resume(dag, run_id: str) -> str:
    """Run what is ready in an existing run of `dag` in this process, as dag.test() does,
    until only approvals still waiting (or nothing) are left; the run's state."""
    from sqlalchemy import select

    from airflow.models.dagrun import DagRun
    from airflow.sdk.definitions.dag import _run_task
    from airflow.serialization.serialized_objects import DagSerialization
    from airflow.settings import Session
    from airflow.utils.state import DagRunState, TaskInstanceState

    session = Session()
    try:
        dr = session.scalar(select(DagRun).where(DagRun.dag_id == dag.dag_id,
                                                 DagRun.run_id == run_id))
        dr.dag = DagSerialization.deserialize_dag(DagSerialization.serialize_dag(dag))
        while dr.state == DagRunState.RUNNING:
            session.expire_all()
            schedulable, _ = dr.update_state(session=session)
            for ti in schedulable:
                if ti.state != TaskInstanceState.UP_FOR_RESCHEDULE:
                    ti.try_number += 1
                ti.state = TaskInstanceState.SCHEDULED
            session.commit()
            scheduled = [ti for ti in dr.get_task_instances(session=session)
                         if ti.state == TaskInstanceState.SCHEDULED]
            if not scheduled:
                break
            for ti in scheduled:
                _run_task(ti=ti, task=dag.task_dict[ti.task_id], run_triggerer=True)
        session.expire_all()
        return str(getattr(dr.state, "value", dr.state))
    finally:
        session.close()
