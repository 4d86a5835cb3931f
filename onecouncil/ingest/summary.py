"""What a run loaded, per feed and per file, read back from ops.files."""

from __future__ import annotations

import psycopg

FEED_SUMMARY = """
select feed,
       count(*) filter (where outcome = 'loaded') as files_loaded,
       count(*) filter (where outcome = 'refused') as files_refused,
       count(*) filter (where outcome = 'duplicate') as files_duplicate,
       coalesce(sum(rows_loaded), 0) as rows_loaded,
       coalesce(sum(rows_quarantined), 0) as rows_quarantined
from ops.files where run_id = %s group by feed order by feed
"""

FILES = """
select feed, file_name, outcome, rows_read, rows_loaded, rows_quarantined, reason
from ops.files where run_id = %s order by feed, arrived_at, file_id
"""


def feed_summary(conn: psycopg.Connection, run_id: str) -> list[dict]:
    cur = conn.execute(FEED_SUMMARY, (run_id,))
    names = [d.name for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def file_outcomes(conn: psycopg.Connection, run_id: str) -> list[dict]:
    cur = conn.execute(FILES, (run_id,))
    names = [d.name for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]
