"""Does the warehouse hold what the simulator says it wrote? The demo's self-check."""

from __future__ import annotations

from pathlib import Path

import psycopg

# The first record of each file name: a re-run of the demo delivers the same
# files again, and those later arrivals are duplicates by design.
FIRST_OUTCOMES = """
select distinct on (feed, file_name)
       feed, file_name, outcome, rows_read, rows_loaded, rows_quarantined
from ops.files order by feed, file_name, file_id
"""


def mismatches(conn: psycopg.Connection, manifest: dict) -> list[str]:
    """Each simulated file whose recorded outcome or row counts differ from the manifest."""
    seen = {(f, n): (o, r, lo, q) for f, n, o, r, lo, q in conn.execute(FIRST_OUTCOMES)}
    problems = []
    for entry in manifest["files"]:
        key = (entry["feed"], Path(entry["path"]).name)
        want = (entry["expected_outcome"], entry["rows_read"], entry["rows_loaded"],
                entry["rows_quarantined"])
        got = seen.get(key)
        if got != want:
            problems.append(f"{key[0]}/{key[1]}: expected {want}, warehouse has {got}")
    return problems
