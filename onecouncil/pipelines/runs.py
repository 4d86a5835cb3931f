"""Open and close a pipeline run's record in ops.runs (every DAG does this)."""

from __future__ import annotations

import os
import socket

import psycopg

from onecouncil.warehouse import connect, server
from onecouncil.warehouse.schema import migrate


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def mark_abandoned(conn: psycopg.Connection) -> list[str]:
    """Mark `abandoned` the runs still `running` whose process on this host has died (killed,
    or the machine or database crashed under it); returns their run ids. A run recorded
    on another host is left: its process cannot be seen from here."""
    rows = conn.execute(
        "select run_id, pid from ops.runs where outcome = 'running' and host = %s "
        "and pid is not null and pid <> %s", (socket.gethostname(), os.getpid())).fetchall()
    dead = [run_id for run_id, pid in rows if not _alive(pid)]
    if dead:
        conn.execute("update ops.runs set outcome = 'abandoned', finished_at = now() "
                     "where run_id = any(%s) and outcome = 'running'", (dead,))
    return dead


def claim_run(conn: psycopg.Connection, run_id: str) -> None:
    """Record this process as the one working on the run (each task of a DAG run may be
    another process), so a later run can tell whether it died."""
    conn.execute("update ops.runs set host = %s, pid = %s, outcome = 'running', finished_at = null "
                 "where run_id = %s and outcome in ('running', 'abandoned')",
                 (socket.gethostname(), os.getpid(), run_id))


def open_run(run_id: str, dag_id: str, period: str | None = None) -> None:
    """Start (or check) the warehouse, bring its schemas up to date, open the run record.

    A retried or re-run DAG run reuses its record: the same run id is one row.
    """
    server().up()
    with connect(autocommit=True) as conn:
        migrate(conn)
        mark_abandoned(conn)
        conn.execute(
            """insert into ops.runs (run_id, dag_id, period, host, pid)
               values (%s, %s, %s, %s, %s)
               on conflict (run_id) do update set started_at = now(), finished_at = null,
                   outcome = 'running', period = excluded.period, host = excluded.host,
                   pid = excluded.pid""",
            (run_id, dag_id, period, socket.gethostname(), os.getpid()))


def close_run(run_id: str, outcome: str) -> None:
    with connect(autocommit=True) as conn:
        conn.execute("update ops.runs set finished_at = now(), outcome = %s where run_id = %s",
                     (outcome, run_id))
