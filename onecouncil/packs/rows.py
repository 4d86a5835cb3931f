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
