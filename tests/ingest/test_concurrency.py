"""Two runs at once: migrations once per version, a file another run holds is left to it,
and a run whose process died is marked abandoned."""

from __future__ import annotations

import subprocess
import sys
import time

import psycopg

from onecouncil.feeds import feed_by_folder
from onecouncil.ingest import run as landing_run
from onecouncil.warehouse import connect
from onecouncil.warehouse.schema import migrate, schema_version

PAYMENTS = "Date,Transaction Number,Amount,Supplier Name\n01/08/2025,T1,600.00,Acme Ltd\n"


def test_an_applied_schema_version_takes_no_lock_so_a_load_never_waits_on_it(conn):
    assert migrate(conn) is False  # the session's warehouse is migrated already
    with connect() as loader:  # a load holding its table, as COPY and replace do
        loader.execute("lock table raw.finance__payments in access exclusive mode")
        with connect(autocommit=True) as other:
            other.execute("set lock_timeout = '2s'")
            assert migrate(other) is False  # no DDL, so no wait and no deadlock
        loader.rollback()
    assert conn.execute("select count(*) from ops.schema_versions where version = %s",
                        (schema_version(),)).fetchone()[0] == 1


def test_a_new_schema_version_migrates_once(conn):
    conn.execute("delete from ops.schema_versions where version = %s", (schema_version(),))
    assert migrate(conn) is True
    assert migrate(conn) is False


def test_a_file_another_run_holds_or_took_is_skipped_not_a_crash(conn, landing, drop, settings,
                                                                 monkeypatch):
    payments = feed_by_folder("finance/payments")
    held = drop("finance/payments", "held.csv", PAYMENTS)
    taken = drop("finance/payments", "taken.csv", PAYMENTS.replace("T1", "T2"))
    listed = landing_run.arrived_files(landing, payments)
    taken.unlink()  # the other run loaded and removed it after this one listed it
    with connect(autocommit=True) as other:
        other.execute("select pg_advisory_lock(hashtext('onecouncil.landing'), hashtext(%s))",
                      (str(held),))
        other_pid = other.info.backend_pid
        with monkeypatch.context() as m:  # what this run listed before the other took them
            m.setattr(landing_run, "arrived_files", lambda *a, **k: listed)
            outcomes = landing_run.ingest_feed(conn, payments, landing, run_id="second",
                                               settings=settings)
        assert outcomes == [] and held.exists()
    # the other run is gone, its lock with it (once its server process has ended), so the
    # next run loads the file
    deadline = time.monotonic() + 10
    while conn.execute("select count(*) from pg_locks where locktype = 'advisory' "
                       "and pid = %s", (other_pid,)).fetchone()[0] and time.monotonic() < deadline:
        time.sleep(0.05)
    outcomes = landing_run.ingest_feed(conn, payments, landing, run_id="third",
                                       settings=settings)
    assert [(o.file_name, o.outcome) for o in outcomes] == [("held.csv", "loaded")]


def test_runs_left_running_by_a_dead_process_are_marked_abandoned(conn):
    from onecouncil.pipelines.runs import mark_abandoned, open_run

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for run_id, pid in (("killed", dead.pid), ("still-going", alive.pid)):
            conn.execute("insert into ops.runs (run_id, dag_id, host, pid) values "
                         "(%s, 'ingest_landing', %s, %s)", (run_id, _host(), pid))
        conn.execute("insert into ops.runs (run_id, dag_id, host, pid) values "
                     "('elsewhere', 'ingest_landing', 'another-host', %s)", (dead.pid,))
        open_run("next", "ingest_landing")
        states = dict(conn.execute("select run_id, outcome from ops.runs").fetchall())
        assert states == {"killed": "abandoned", "still-going": "running",
                          "elsewhere": "running", "next": "running"}
        assert mark_abandoned(conn) == []  # once only
    finally:
        alive.kill()
        alive.wait()


def _host() -> str:
    import socket

    return socket.gethostname()


def test_the_outcome_abandoned_is_allowed_and_others_are_not(conn):
    conn.execute("insert into ops.runs (run_id, dag_id, outcome) values "
                 "('a', 'x', 'abandoned')")
    try:
        conn.execute("insert into ops.runs (run_id, dag_id, outcome) values ('b', 'x', 'lost')")
    except psycopg.errors.CheckViolation:
        pass
    else:
        raise AssertionError("an unknown run outcome was accepted")
