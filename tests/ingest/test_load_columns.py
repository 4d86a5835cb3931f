"""Each raw row names the file that brought it: `_file_id`, `_sha256` and `_loaded_at` come
from the loading transaction's settings through defaults that COPY works out once, when it
starts (schema.LOAD_SETTING_DDL), so one load's values never reach another's rows."""

from __future__ import annotations

import pytest

HEADER = ("Trans No,Posting Date,Fiscal Year,Period,Cost Centre,Account Code,Net Amount,"
          "Supplier ID,Supplier Name,Description\r\n")


def ledger(period: int, rows: int) -> str:
    return HEADER + "".join(f"T{period}-{i},30/04/2025,2025-26,{period},CC100,A100,"
                            f"\"£1,{i:03d}.50\",,,line {i}\r\n" for i in range(rows))


def test_every_row_carries_its_own_files_id_hash_and_load_time(ingest, drop, conn):
    drop("finance/ledger", "p01.csv", ledger(1, 40), encoding="cp1252")
    first = [o for o in ingest("first") if o.outcome == "loaded"]
    drop("finance/ledger", "p02.csv", ledger(2, 30), encoding="cp1252")
    second = [o for o in ingest("second") if o.outcome == "loaded"]
    assert [o.rows_loaded for o in first + second] == [40, 30]

    rows = conn.execute(
        "select f.file_name, count(*), count(distinct r._loaded_at), min(r._loaded_at) "
        "from raw.finance__ledger r join ops.files f "
        "on f.file_id = r._file_id and f.sha256 = r._sha256 "
        "group by f.file_name order by f.file_name").fetchall()
    assert [(name, count, times) for name, count, times, _ in rows] == [
        ("p01.csv", 40, 1), ("p02.csv", 30, 1)]
    assert rows[0][3] < rows[1][3]  # each file its own load time
    assert conn.execute("select count(*) from raw.finance__ledger").fetchone()[0] == 70
    # period 2's rows are period 2's file's, not period 1's
    assert conn.execute(
        "select count(*) from raw.finance__ledger r join ops.files f on f.file_id = r._file_id "
        "where r.period = 2 and f.file_name = 'p02.csv'").fetchone()[0] == 30


def test_outside_a_load_the_defaults_are_empty_and_the_row_is_refused(conn):
    import psycopg

    with pytest.raises(psycopg.errors.NotNullViolation, match="_file_id"):
        conn.execute("insert into raw.finance__ledger (transaction_id, _line_number) "
                     "values ('x', 1)")
