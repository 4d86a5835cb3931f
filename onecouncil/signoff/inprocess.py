"""A pack DAG run in this process that stops at sign-off (`onecouncil run`, the demo).

`dag.test()` waits for as long as an approval waits. Here a thread watches the run on
the metadata database beside it: once everything left is waiting for sign-off,
`on_waiting` may answer (the demo approves as `demo`) and the run goes on to publish;
without it the run is left waiting (for `onecouncil signoff approve` or the service)
and the command returns.
"""

from __future__ import annotations

import _thread
import threading
from collections.abc import Callable
from datetime import UTC, datetime

BUSY = {"running", "queued", "scheduled", "up_for_retry", "up_for_reschedule", "deferred",
        "restarting"}


def _states(dag_id: str, since: datetime) -> tuple[str | None, str | None, list[str]]:
    from sqlalchemy import select

    from airflow.models.dagrun import DagRun
    from airflow.settings import Session

    session = Session()
    try:
        dr = session.scalar(select(DagRun).where(DagRun.dag_id == dag_id,
                                                 DagRun.start_date >= since)
                            .order_by(DagRun.start_date.desc()).limit(1))
        if dr is None:
            return None, None, []
        states = [str(getattr(ti.state, "value", ti.state)) for ti in
                  dr.get_task_instances(session=session)]
        return dr.run_id, str(getattr(dr.state, "value", dr.state)), states
    finally:
        session.close()


def drop_interrupted_session() -> None:
    """`interrupt_main()` raises in the main thread wherever it is, perhaps between a query
    of dag.test() and its commit. Drop the thread's Airflow session and the pool's
    connections, so that the next DAG run of this process (`onecouncil run` runs the
    monthly, quarterly and annual DAGs one after another) starts on fresh ones instead of
    failing with PendingRollbackError."""
    from airflow import settings as airflow_settings

    try:
        airflow_settings.Session.remove()
    except Exception:  # noqa: BLE001 - its connection is broken: dispose() discards it
        pass
    if airflow_settings.engine is not None:
        airflow_settings.engine.dispose()


def run_until_signoff(dag_file: str, dag_id: str, conf: dict, settings,
                      on_waiting: Callable[[str], None] | None = None,
                      echo=print) -> tuple[str, str]:
    """Run the DAG; (run_id, state) where state is `awaiting sign-off` when the command
    returns with approvals still waiting."""
    from onecouncil.airflow_runner import dag_for_this_process

    dag = dag_for_this_process(dag_file, dag_id, settings, echo)
    # Import what both threads use here, first: two threads importing Airflow's models at
    # once deadlock on the import lock.
    import airflow.dag_processing.dagbag  # noqa: F401
    import airflow.serialization.definitions.dag  # noqa: F401
    from airflow.models import import_all_models

    import_all_models()
    since = datetime.now(UTC).replace(microsecond=0)
    stop = threading.Event()
    seen: dict = {}

    def watch() -> None:
        # Airflow's task runner sets signal handlers, so dag.test() runs in the main
        # thread and this one watches the run beside it.
        answered: set[str] = set()
        quiet = 0
        while not stop.wait(1.0):
            try:
                run_id, state, states = _states(dag_id, since)
            except Exception:  # a poll that failed is tried again next second
                continue
            if run_id is None or state != "running":
                continue
            waiting = states.count("awaiting_input")
            quiet = quiet + 1 if waiting and not BUSY.intersection(states) else 0
            if quiet < 2:  # seen twice, a second apart: nothing is about to start
                continue
            if on_waiting is None:
                seen["awaiting"] = run_id
                _thread.interrupt_main()  # ends dag.test(), which would wait for ever
                return
            if f"{run_id}:{waiting}" not in answered:
                answered.add(f"{run_id}:{waiting}")
                try:
                    on_waiting(run_id)
                except BaseException as e:  # re-raised once the run is over
                    seen["error"] = e
                    _thread.interrupt_main()
                    return

    watcher = threading.Thread(target=watch, name=f"watch-{dag_id}", daemon=True)
    watcher.start()
    try:
        run = dag.test(run_conf=conf)
    except KeyboardInterrupt:
        drop_interrupted_session()
        if "awaiting" in seen:
            return seen["awaiting"], "awaiting sign-off"
        if "error" in seen:
            raise seen["error"] from None
        raise
    finally:
        stop.set()
    if "error" in seen:
        raise seen["error"]
    return run.run_id, str(getattr(run.state, "value", run.state))
