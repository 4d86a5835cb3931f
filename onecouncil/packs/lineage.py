"""Which loaded files a pack's figures rest on.

`sources` reads the lineage dbt builds (reports.pack_sources, reports.pack_quarantine);
`files` and `fetch` are the older readers that query ops and raw directly, kept only
until every pack reads its report models.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

from onecouncil.calendar import FiscalTime

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


def sources(conn: psycopg.Connection, pack: str, period: FiscalTime
            ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(source_files, quarantine) of one pack and period, from reports.pack_sources and
    reports.pack_quarantine (dbt/models/reports): the files its report rows rest on.

    file_id is left out of what is returned: it is a sequence number of this warehouse,
    not a property of the data, and the JSON must not change when the same files are
    loaded again into a fresh warehouse.
    """
    key = {"pack": pack, "fy": str(period.year), "period": period.label}
    where = "where pack = %(pack)s and fiscal_year = %(fy)s and period = %(period)s"
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"select {', '.join(FILE_COLUMNS)} from reports.pack_sources {where} "
                    "order by feed, file_name, sha256", key)
        source_files = cur.fetchall()
        cur.execute("select feed, file_name, sha256, reason, rows from reports.pack_quarantine "
                    f"{where} order by feed, file_name, sha256, reason", key)
        quarantine = cur.fetchall()
    return source_files, quarantine
