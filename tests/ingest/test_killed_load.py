"""A load killed halfway (process killed mid-COPY) leaves the warehouse as it was before
that file, and the next run loads the file cleanly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal

ROWS = 300_000
BAD_ROWS = (1_000, 150_000, 299_000)  # period 14: quarantined when the file does load
FIND_COPY_TIMEOUT = 30.0  # seconds for the child to reach its COPY
MIN_ROWS_IN_FLIGHT = 20_000  # kill only once this many rows have reached the server

LEDGER_HEADER = ("transaction_id,posting_date,fiscal_year,period,cost_centre,account_code,"
                 "amount,supplier_id,supplier_name,description\r\n")

CHILD = """
import sys
from pathlib import Path
from onecouncil.feeds import feed_by_folder
from onecouncil.ingest.run import ingest_feed
from onecouncil.warehouse import connect

with connect(autocommit=True) as conn:
    print("connected", flush=True)
    ingest_feed(conn, feed_by_folder("finance/ledger"), Path(sys.argv[1]), run_id="killed-run")
print("finished", flush=True)
"""


def big_ledger(period: int) -> str:
    lines = [LEDGER_HEADER]
    for i in range(1, ROWS + 1):
        p = 14 if i in BAD_ROWS else period
        lines.append(f"K{i:07d},15/05/2025,2025-26,{p},CC{100 + i % 600},A{100 + i % 300},"
                     f"{i % 9973}.{i % 100:02d},S{i % 5000},Supplier {i % 5000},"
                     f"Line {i} of the big file\r\n")
    return "".join(lines)


def small_ledger() -> str:
    return LEDGER_HEADER + "".join(
        f"E{i},30/04/2025,2025-26,1,CC100,A100,{i}.50,,,earlier file\r\n" for i in range(1, 51))


def ledger_rows(conn) -> list[tuple]:
    return conn.execute(
        "select transaction_id, amount, _file_id, _replaced_at from raw.finance__ledger "
        "order by transaction_id").fetchall()


def find_copy_backend(conn, child: subprocess.Popen) -> int:
    """The pid of the child's backend once its COPY into raw.finance__ledger has rows in flight."""
    deadline = time.monotonic() + FIND_COPY_TIMEOUT
    seen_copy = False
    while time.monotonic() < deadline:
        if child.poll() is not None:
            out, err = child.communicate()
            raise AssertionError(
                f"the loader exited (rc={child.returncode}) before it could be killed mid-COPY "
                f"(saw its COPY: {seen_copy}); make the file bigger?\n"
                f"stdout:\n{out}\nstderr:\n{err}")
        row = conn.execute(
            """select a.pid, coalesce(p.tuples_processed, 0)
               from pg_stat_activity a
               left join pg_stat_progress_copy p on p.pid = a.pid
               where a.pid <> pg_backend_pid() and a.state = 'active'
                 and a.query ~* '^\\s*copy\\s+"?raw"?\\."?finance__ledger"?'""").fetchone()
        if row:
            seen_copy = True
            if row[1] >= MIN_ROWS_IN_FLIGHT:
                return row[0]
        time.sleep(0.02)
    raise AssertionError(
        f"no COPY raw.finance__ledger with {MIN_ROWS_IN_FLIGHT}+ rows in flight within "
        f"{FIND_COPY_TIMEOUT:.0f}s (saw its COPY: {seen_copy})")


def wait_backend_gone(conn, pid: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not conn.execute("select 1 from pg_stat_activity where pid = %s", (pid,)).fetchone():
            return
        time.sleep(0.05)
    raise AssertionError(f"backend {pid} still there {timeout:.0f}s after its client was killed")


def test_load_killed_mid_copy_leaves_warehouse_as_before(conn, drop, landing, settings):
    from onecouncil.feeds import feed_by_folder
    from onecouncil.ingest.archive import sha256_of
    from onecouncil.ingest.run import ingest_feed

    ledger = feed_by_folder("finance/ledger")

    # An earlier file for another period, so "as it was" is not just "empty".
    drop("finance/ledger", "p01.csv", small_ledger())
    [earlier] = ingest_feed(conn, ledger, landing, run_id="earlier", settings=settings)
    assert earlier.outcome == "loaded" and earlier.rows_loaded == 50
    before_rows = ledger_rows(conn)
    before_files = conn.execute("select file_id, sha256, outcome from ops.files").fetchall()

    content = big_ledger(period=2).encode("cp1252")
    big = drop("finance/ledger", "p02.csv", content)
    sha = sha256_of(content)

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(landing)],
        env={**os.environ, "ONECOUNCIL_HOME": str(settings.home)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        backend = find_copy_backend(conn, child)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL, f"the loader was not killed: rc={child.returncode}"
    wait_backend_gone(conn, backend)  # the server has rolled the COPY back

    # As it was before that file.
    assert ledger_rows(conn) == before_rows
    assert conn.execute("select file_id, sha256, outcome from ops.files").fetchall() == \
        before_files
    assert conn.execute("select count(*) from ops.files where sha256 = %s",
                        (sha,)).fetchone()[0] == 0
    assert conn.execute("select count(*) from ops.quarantine where sha256 = %s",
                        (sha,)).fetchone()[0] == 0
    assert big.exists() and big.read_bytes() == content, "the landing file must still be there"

    # The next run loads it cleanly.
    [outcome] = ingest_feed(conn, ledger, landing, run_id="after-kill", settings=settings)
    assert outcome.outcome == "loaded", outcome.reason
    assert outcome.sha256 == sha
    assert outcome.rows_read == ROWS
    assert outcome.rows_quarantined == len(BAD_ROWS)
    assert outcome.rows_read == outcome.rows_loaded + outcome.rows_quarantined
    assert outcome.rows_replaced == 0  # period 2 had nothing earlier

    recorded = conn.execute(
        "select outcome, rows_read, rows_loaded, rows_quarantined from ops.files "
        "where sha256 = %s", (sha,)).fetchall()
    assert recorded == [("loaded", ROWS, ROWS - len(BAD_ROWS), len(BAD_ROWS))]
    assert sorted(r[0] for r in conn.execute(
        "select line_number from ops.quarantine where sha256 = %s", (sha,))) == \
        [i + 1 for i in BAD_ROWS]  # line 1 is the header
    loaded = conn.execute(
        "select count(*), count(distinct transaction_id), sum(amount) from raw.finance__ledger "
        "where _sha256 = %s and _replaced_at is null", (sha,)).fetchone()
    expected_sum = sum(Decimal(f"{i % 9973}.{i % 100:02d}")
                       for i in range(1, ROWS + 1) if i not in BAD_ROWS)
    assert loaded == (ROWS - len(BAD_ROWS), ROWS - len(BAD_ROWS), expected_sum)

    # The earlier file's rows are untouched.
    assert conn.execute(
        "select transaction_id, amount, _file_id, _replaced_at from raw.finance__ledger "
        "where _sha256 <> %s order by transaction_id", (sha,)).fetchall() == before_rows
    assert not big.exists(), "a loaded file leaves the landing zone"
