"""`onecouncil signoff list|approve|reject`: through the service's REST API when
ONECOUNCIL_AIRFLOW_API_URL is set, else directly on Airflow's metadata database (then
the rest of the run, stamping Final and publishing, runs in this process)."""

from __future__ import annotations

import time
from typing import Any

from onecouncil.signoff import REASON, SIGNED_OFF_BY


def _metadata_db(settings) -> None:

    from onecouncil.airflow_runner import ensure_metadata_db, use_airflow_of
    from onecouncil.warehouse import server

    server(settings).up()
    ensure_metadata_db(settings)
    use_airflow_of(settings)


def waiting(settings) -> list:
    from onecouncil.signoff import rest

    if rest.base_url():
        return rest.waiting()
    _metadata_db(settings)
    from airflow.settings import Session

    from onecouncil.signoff.waiting import waiting as on_db

    session = Session()
    try:
        return on_db(session)
    finally:
        session.close()


def decide(settings, pack: str, period: str, *, approve: bool, by: str,
           reason: str | None = None, resume_after: float = 5.0) -> dict[str, Any]:
    """Answer the waiting approval of `pack` for `period`; what became of the run.

    On the metadata database, a run nobody drives any more (its `onecouncil run` has
    returned) is carried on here once nothing else has picked the task up within
    `resume_after` seconds.
    """
    from onecouncil.signoff import rest
    from onecouncil.signoff.waiting import NotWaiting

    values = {SIGNED_OFF_BY: by, REASON: reason}
    if rest.base_url():
        found = [w for w in rest.waiting() if w.pack == pack and w.period == period]
        if not found:
            raise NotWaiting(f"no sign-off of {pack} {period} is waiting on the service")
        rest.answer(found[-1], approve=approve, values=values)
        return {"via": "the Airflow API", "dag_id": found[-1].dag_id,
                "run_id": found[-1].run_id, "state": "answered"}
    _metadata_db(settings)
    from airflow.settings import Session

    from onecouncil.signoff import waiting as db

    session = Session()
    try:
        w = db.find(session, pack, period)
        db.answer(session, w, approve=approve, by=by, values=values)
    finally:
        session.close()
    state = "picked up by the running scheduler"
    if not _picked_up(w, resume_after):
        from onecouncil.airflow_runner import load_dag

        state = db.resume(load_dag("packs.py", w.dag_id), w.run_id)
    return {"via": "the metadata database", "dag_id": w.dag_id, "run_id": w.run_id,
            "state": state}


def _picked_up(w, within: float) -> bool:
    from sqlalchemy import select

    from airflow.models.taskinstance import TaskInstance
    from airflow.settings import Session

    deadline = time.monotonic() + within
    while True:
        session = Session()
        try:
            state = session.scalar(select(TaskInstance.state).where(
                TaskInstance.dag_id == w.dag_id, TaskInstance.run_id == w.run_id,
                TaskInstance.task_id == w.task_id, TaskInstance.map_index == w.map_index))
        finally:
            session.close()
        if str(getattr(state, "value", state)) != "scheduled":
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
