"""Open and close a pipeline run's record in ops.runs (every DAG does this)."""

from __future__ import annotations

from onecouncil.warehouse import connect, server
from onecouncil.warehouse.schema import migrate


def open_run(run_id: str, dag_id: str, period: str | None = None) -> None:
    """Start (or check) the warehouse, bring its schemas up to date, open the run record.

    A retried or re-run DAG run reuses its record: the same run id is one row.
    """
    server().up()
    with connect(autocommit=True) as conn:
        migrate(conn)
        conn.execute(
            """insert into ops.runs (run_id, dag_id, period) values (%s, %s, %s)
               on conflict (run_id) do update set started_at = now(), finished_at = null,
                   outcome = 'running', period = excluded.period""",
            (run_id, dag_id, period))


def close_run(run_id: str, outcome: str) -> None:
    with connect(autocommit=True) as conn:
        conn.execute("update ops.runs set finished_at = now(), outcome = %s where run_id = %s",
                     (outcome, run_id))
