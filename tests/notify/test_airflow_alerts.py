"""Airflow's side: every task failure and every missed deadline reaches the data team."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def dagbag(warehouse, settings):
    from onecouncil.airflow_runner import use_airflow_of

    use_airflow_of(settings)
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    return bag


def test_every_task_of_every_dag_emails_its_failure(dagbag):
    from onecouncil.notify.airflow import task_failed

    for dag_id, dag in dagbag.dags.items():
        for task in dag.tasks:
            assert task_failed in (task.on_failure_callback or []) \
                or task.on_failure_callback is task_failed, f"{dag_id}.{task.task_id}"


def test_a_task_failing_on_purpose_emails_the_data_team(smtp, notifications, settings):
    """A real run of the monthly pack DAG (dag.test) asked for a period that cannot exist:
    each render task fails, and Airflow's on_failure_callback emails and records it."""
    from onecouncil.airflow_runner import run_dag_in_process

    run_id, state = run_dag_in_process("packs.py", "monthly_packs",
                                       {"period": "2025-26-P77"}, settings, echo=lambda *_: None)
    assert state == "failed"
    rows = notifications("task failed")
    assert sorted(r["event_key"] for r in rows) == [
        f"task-failed:monthly_packs:{run_id}:{task}:1"
        for task in ("render_finance_outturn", "render_transparency_spend")]
    msg = smtp.only(f"task-failed:monthly_packs:{run_id}:render_finance_outturn")
    text = msg.get_content().replace("\r\n", "\n")
    assert msg["Subject"].strip() == ("[onecouncil] monthly_packs: render_finance_outturn failed "
                              "(2025-26-P77)")
    assert "period 77 is outside 1-13" in text
    assert "Period: 2025-26-P77" in text
    assert "What to do next:" in text and "onecouncil run --period" in text
    row = next(r for r in rows if "render_finance_outturn" in r["event_key"])
    assert row["delivered"] and row["subject"] in msg["Subject"].strip()
    assert row["body"] == text.rstrip("\n")


def test_the_pack_and_transform_dags_declare_their_deadlines(dagbag):
    from airflow.sdk.definitions.deadline import AverageRuntimeDeadline, DagRunLogicalDateDeadline

    from onecouncil.notify.airflow import deadline_missed

    [monthly] = dagbag.dags["monthly_packs"].deadline
    assert isinstance(monthly.reference, DagRunLogicalDateDeadline)
    assert monthly.callback.path == f"{deadline_missed.__module__}.deadline_missed"
    # A working day's scheduled run (logical date 07:00 London) must end by 09:00 London,
    # in winter and in summer time alike.
    for day in ("2026-01-14", "2026-07-14"):
        logical = datetime.fromisoformat(day + "T07:00").replace(tzinfo=LONDON)
        assert (logical + monthly.interval).astimezone(LONDON).hour == 9
    timetable = dagbag.dags["monthly_packs"].timetable
    cron = getattr(timetable, "timetable", timetable).expression  # also scheduled on Assets
    assert cron.startswith("0 7 "), f"the 09:00 deadline assumes a 07:00 run, not {cron}"
    assert dagbag.dags["quarterly_packs"].deadline is None
    [slow] = dagbag.dags["transform"].deadline
    assert isinstance(slow.reference, AverageRuntimeDeadline)
    assert slow.reference.min_runs == 3 and slow.interval == timedelta(minutes=30)


def _miss(alert, run: dict, deadline_time: str):
    import structlog
    from airflow.sdk.execution_time.callback_supervisor import execute_callback

    context = {"dag_run": run, "deadline": {"id": "d1", "deadline_time": deadline_time}}
    ok, error = execute_callback(alert.callback.path,
                                 {**alert.callback.kwargs, "context": context},
                                 None, None, structlog.get_logger())
    assert ok, error


def test_a_missed_pack_deadline_emails_the_data_team(dagbag, smtp, notifications, tmp_path):
    """The monthly packs' own DeadlineAlert callback, run the way Airflow's executor runs
    it when the deadline passes (callback_supervisor.execute_callback: the declared path
    and kwargs, plus the context Deadline.handle_miss builds: the run as JSON and the
    deadline). A real scheduler would have to wait until 09:00 to miss it."""
    [alert] = dagbag.dags["monthly_packs"].deadline
    run = {"dag_id": "monthly_packs", "dag_run_id": "scheduled__2025-09-12T06:00:00+00:00",
           "logical_date": "2025-09-12T06:00:00Z", "run_after": "2025-09-12T06:00:00Z",
           "state": "running", "conf": {"output": str(tmp_path)}}
    for _ in range(2):  # the executor retrying the callback: one email
        _miss(alert, run, "2025-09-12T08:00:00+00:00")

    msg = smtp.only("deadline-missed:monthly-packs-by-0900:monthly_packs:")
    text = msg.get_content().replace("\r\n", "\n")
    # 12 September 2025 is the 10th working day after period 5 (August) closed.
    assert "2025-26-P05" in msg["Subject"]
    assert "not rendered by 09:00" in text and "2025-09-12 09:00 BST" in text
    assert "state: running" in text and "What to do next:" in text
    [row] = notifications("deadline missed")
    assert row["delivered"] and row["period"] == "2025-26-P05"


def test_a_transform_far_slower_than_usual_emails_the_data_team(dagbag, smtp, notifications):
    import structlog
    from airflow.sdk.execution_time.callback_supervisor import execute_callback

    [alert] = dagbag.dags["transform"].deadline
    run = {"dag_id": "transform", "dag_run_id": "asset_triggered__2025-09-03T10:15:00",
           "logical_date": None, "run_after": "2025-09-03T10:15:00Z", "state": "running",
           "conf": {}}
    ok, error = execute_callback(
        alert.callback.path, {**alert.callback.kwargs, "context": {
            "dag_run": run, "deadline": {"id": "d2", "deadline_time": "2025-09-03T11:00:00Z"}}},
        None, None, structlog.get_logger())
    assert ok, error
    msg = smtp.only("deadline-missed:transform-far-slower-than-usual:transform:")
    text = msg.get_content()
    assert "far longer than it usually does" in text and "2025-09-03 12:00 BST" in text
    assert "dbt_build" in text
    [row] = notifications("deadline missed")
    assert row["delivered"] and row["period"] == "run of 2025-09-03"


def test_a_run_open_at_0900_with_its_finance_pack_rendered_tells_nobody(
        dagbag, smtp, notifications, tmp_path):
    """The run may still wait for sign-off (or for the transparency pack): the deadline is
    about the finance pack, which is on disk. A day no finance pack is due tells nobody."""
    from onecouncil.calendar import FiscalPeriod
    from onecouncil.packs.output import pack_dir

    [alert] = dagbag.dags["monthly_packs"].deadline
    folder = pack_dir(tmp_path, FiscalPeriod.parse("2025-26-P05"))
    folder.mkdir(parents=True)
    (folder / "finance-outturn.json").write_text("{}")
    run = {"dag_id": "monthly_packs", "dag_run_id": "scheduled__2025-09-12T06:00:00+00:00",
           "logical_date": "2025-09-12T06:00:00Z", "state": "running",
           "conf": {"output": str(tmp_path)}}
    _miss(alert, run, "2025-09-12T08:00:00+00:00")
    not_due = {**run, "dag_run_id": "scheduled__2025-09-15T06:00:00+00:00",
               "logical_date": "2025-09-15T06:00:00Z"}
    _miss(alert, not_due, "2025-09-15T08:00:00+00:00")
    assert smtp.messages == [] and notifications() == []


def test_airflow_sets_the_finance_pack_deadline_and_its_miss_emails_the_team(
        dagbag, smtp, notifications, settings, tmp_path):
    """A real monthly-packs run on a due day (12 September 2025, logical date 07:00 London)
    whose finance pack cannot render: Airflow itself creates the Deadline from the DAG's
    DeadlineAlert at 09:00, the scheduler's own query finds it passed and marks it missed
    (Deadline.handle_miss, which builds the callback and its context), and the callback
    runs as the executor runs it. Only the scheduler's loop is left out: this is what one
    pass of it does."""
    import structlog
    from airflow.models import DagRun
    from airflow.models.deadline import Deadline
    from airflow.sdk.execution_time.callback_supervisor import execute_callback
    from airflow.utils.session import create_session
    from sqlalchemy import select

    from onecouncil.airflow_runner import ensure_metadata_db, load_dag

    ensure_metadata_db(settings, echo=lambda *_: None)
    dag = load_dag("packs.py", "monthly_packs", deadlines=True)
    for t in dag.tasks:
        t.retries = 0
    logical = datetime(2025, 9, 12, 7, 0, tzinfo=LONDON)
    run = dag.test(logical_date=logical,
                   run_conf={"period": "2025-26-P77", "output": str(tmp_path)})
    assert str(getattr(run.state, "value", run.state)) == "failed"

    with create_session() as session:
        deadlines = session.scalars(
            select(Deadline).join(DagRun).where(DagRun.run_id == run.run_id)
            .where(Deadline.deadline_time < datetime.now(LONDON)).where(~Deadline.missed)
        ).all()
        assert [d.deadline_time.astimezone(LONDON) for d in deadlines] == [
            datetime(2025, 9, 12, 9, 0, tzinfo=LONDON)]
        deadlines[0].handle_miss(session)
        data = dict(deadlines[0].callback.data)
    ok, error = execute_callback(data["path"], data["kwargs"], None, None,
                                 structlog.get_logger())
    assert ok, error

    msg = smtp.only(f"deadline-missed:monthly-packs-by-0900:monthly_packs:{run.run_id}")
    text = msg.get_content().replace("\r\n", "\n")
    assert "2025-26-P05" in msg["Subject"] and "2025-09-12 09:00 BST" in text
    [row] = notifications("deadline missed")
    assert row["delivered"] and row["period"] == "2025-26-P05"
    assert row["body"] == text.rstrip("\n")


def test_a_run_started_by_hand_succeeds_without_the_deadlines(warehouse, settings):
    """dag.test() (onecouncil run, the demo) of a DAG with a DeadlineAlert fails a run that
    succeeds in Airflow 3.3.2, so the in-process loader drops the deadlines; the scheduler
    keeps them (the DAG files still declare them)."""
    from onecouncil.airflow_runner import ensure_metadata_db, load_dag, use_airflow_of

    ensure_metadata_db(settings, echo=lambda *_: None)
    use_airflow_of(settings)
    assert load_dag("transform.py", "transform", deadlines=True).deadline
    dag = load_dag("transform.py", "transform")
    assert dag.deadline is None
    run = dag.test(mark_success_pattern=".*")  # every task marked done: only the run's path
    assert str(getattr(run.state, "value", run.state)) == "success"
