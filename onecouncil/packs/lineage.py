"""Which loaded files a pack's figures rest on: the lineage dbt builds
(reports.pack_sources, reports.pack_quarantine, from each pack's
rpt_<pack>__source_files), never a query of raw or ops of the pack's own."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

from onecouncil.calendar import FiscalTime

FILE_COLUMNS = ("feed", "file_name", "sha256", "run_id", "rows_loaded", "rows_quarantined")


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
