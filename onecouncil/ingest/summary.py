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


QUARANTINED = """
select f.file_name, q.line_number, q.reason, q.raw, f.run_id, count(*) over () as total
from ops.quarantine q join ops.files f using (file_id)
where q.feed = %(feed)s and (%(run_id)s::text is null or f.run_id = %(run_id)s)
order by f.arrived_at, f.file_id, q.line_number
limit %(limit)s
"""


def quarantined_rows(conn: psycopg.Connection, feed: str, run_id: str | None = None,
                     limit: int | None = 50) -> tuple[list[dict], int]:
    """A feed's rows set aside (of one ingestion run, or of every run): file, line, reason
    and the row's values as read, the first `limit` (None: all); and how many there are."""
    cur = conn.execute(QUARANTINED, {"feed": feed, "run_id": run_id, "limit": limit})
    names = [d.name for d in cur.description]
    rows = [dict(zip(names, row)) for row in cur.fetchall()]
    total = rows[0]["total"] if rows else conn.execute(
        "select count(*) from ops.quarantine q join ops.files f using (file_id) "
        "where q.feed = %s and (%s::text is null or f.run_id = %s)",
        (feed, run_id, run_id)).fetchone()[0]
    return rows, total
