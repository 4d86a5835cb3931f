"""Which loaded files a pack's figures rest on, read from ops.files and ops.quarantine."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

FILE_COLUMNS = ("feed", "file_name", "sha256", "run_id", "rows_loaded", "rows_quarantined")


def files(conn: psycopg.Connection, file_ids_sql: str, params: dict[str, Any]
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(source_files, quarantine) for the ops.files rows whose file_id `file_ids_sql` selects.

    file_id is left out of what is returned: it is a sequence number of this warehouse,
    not a property of the data, and the JSON must not change when the same files are
    loaded again into a fresh warehouse.
    """
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            f"select {', '.join('f.' + c for c in FILE_COLUMNS)} from ops.files f "
            f"where f.file_id in ({file_ids_sql}) "
            "order by f.feed, f.file_name, f.sha256", params)
        source_files = cur.fetchall()
        cur.execute(
            "select f.feed, f.file_name, f.sha256, q.reason, count(*) as rows "
            f"from ops.quarantine q join ops.files f using (file_id) "
            f"where f.file_id in ({file_ids_sql}) "
            "group by f.feed, f.file_name, f.sha256, q.reason "
            "order by f.feed, f.file_name, f.sha256, q.reason", params)
        quarantine = cur.fetchall()
    return source_files, quarantine


def fetch(conn: psycopg.Connection, query: str, params: dict[str, Any] | None = None
          ) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query, params or {})
        return cur.fetchall()
