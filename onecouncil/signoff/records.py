"""Every sign-off decision, a row in ops.signoffs (pack, period, data_version, decision,
decided_by, decided_at, reason, and the DAG run that asked)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg
from psycopg.rows import dict_row

APPROVED, REJECTED = "approved", "rejected"


def record(conn: psycopg.Connection, *, pack: str, period: str, data_version: str,
           decision: str, by: str, at: dt.datetime, reason: str | None, dag_id: str,
           run_id: str) -> bool:
    """Record one decision; a retried task records it once. True if this call recorded it."""
    cur = conn.execute(
        """insert into ops.signoffs (pack, period, data_version, decision, decided_by,
                                     decided_at, reason, dag_id, run_id)
           values (%s, %s, %s, %s, %s, %s, %s, %s, %s)
           on conflict (dag_id, run_id, pack, period) do nothing""",
        (pack, period, data_version, decision, by, at, reason, dag_id, run_id))
    return cur.rowcount == 1


def decisions(conn: psycopg.Connection, *, pack: str | None = None,
              run_id: str | None = None) -> list[dict[str, Any]]:
    where, args = [], []
    if pack:
        where.append("pack = %s")
        args.append(pack)
    if run_id:
        where.append("run_id = %s")
        args.append(run_id)
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "select pack, period, data_version, decision, decided_by, decided_at, reason, "
            "dag_id, run_id from ops.signoffs"
            + (" where " + " and ".join(where) if where else "")
            + " order by decided_at, signoff_id", args).fetchall()
