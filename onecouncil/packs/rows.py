"""Reading a pack's rows from the warehouse: the report models and marts, nothing else."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row


def fetch(conn: psycopg.Connection, query: str, params: dict[str, Any] | None = None
          ) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query, params or {})
        return cur.fetchall()


def report_rows(conn: psycopg.Connection, columns: str, model: str, where: str,
                key: dict[str, Any], order: str = "sort_order") -> list[dict[str, Any]]:
    """A report model's rows for one period (`where` names the key), in the model's own
    order (its sort columns), rows marked not public or restricted left out."""
    from onecouncil.packs.visibility import public_only

    return public_only(fetch(
        conn, f"select {columns} from reports.{model} {where} order by {order}", key))
