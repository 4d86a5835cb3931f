"""The columnar (Polars) parse of a CSV file gives what the row-by-row parse gives.

Pure tests, no database: each file is parsed both ways (ingest.columnar.ColumnarFile
and ingest.parse.ParsedFile) and the good rows, the quarantined rows (line, reason,
raw values), the counters, the control total and the snapshot dates must be equal.
The files are the simulator's own for a period and hand-made ones holding every
awkward form sources.md allows or refuses.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from onecouncil.calendar import FiscalPeriod
from onecouncil.feeds import FEEDS, feed_by_folder
from onecouncil.ingest import load
from onecouncil.ingest.parse import ParsedFile
from onecouncil.ingest.reader import FileRefused, find_header, open_rows

def _typed(text: str, pg_type: str) -> object:
    if text == "":
        return None
    if pg_type == "timestamptz":
        return datetime.fromisoformat(text).astimezone(UTC)
    return {"date": date.fromisoformat, "timestamptz": datetime.fromisoformat,
            "numeric": Decimal, "integer": int, "boolean": lambda t: t == "true",
            "jsonb": json.loads}.get(pg_type, str)(text)


def both_ways(folder: str, data: bytes, name: str = "file.csv", defaults=None):
    feed = feed_by_folder(folder)
    defaults = defaults or {}
    columnar = load._columnar(feed, data, name, defaults)
    assert columnar, "this file should take the columnar path"
    _, fast, frame = columnar
    fast_error = row_error = None
    fast_rows: list[tuple] = []
    try:
        text = b"".join(fast.batches(frame)).decode()
        types = [t for _, t in feed.raw_columns if _ not in feed.computed] + ["jsonb"]
        for record in csv.reader(io.StringIO(text, newline="")):
            *values, extra, line = record
            fast_rows.append((int(line), tuple(_typed(v, t) for v, t in zip(values, types)),
                              _typed(extra, "jsonb")))
        fast.check_whole_file()
    except FileRefused as e:
        fast_error = str(e)
    _, rows = open_rows(data, name, feed)
    slow = ParsedFile(feed, find_header(feed, rows), rows, defaults)
    slow_rows = []
    try:
        slow_rows = [(line, tuple(v.astimezone(UTC) if isinstance(v, datetime) else v
                                  for v in values), extra)
                     for line, values, extra in slow.rows()]
        slow.check_whole_file()
    except FileRefused as e:
        row_error = str(e)
    assert fast_error == row_error
    fast.error = row_error
    if row_error:
        return fast, slow
    assert fast_rows == slow_rows
    assert [(q.line_number, q.reason, q.raw) for q in fast.quarantined] == \
        [(q.line_number, q.reason, q.raw) for q in slow.quarantined]
    assert (fast.rows_read, fast.rows_loaded) == (slow.rows_read, slow.rows_loaded)
    assert (fast.control_total, fast.control_total_line) == \
        (slow.control_total, slow.control_total_line)
    assert str(fast.column_sum) == str(slow.column_sum)
    assert {str(s) for s in fast.snapshots} == {str(s) for s in slow.snapshots}
    return fast, slow


LEDGER = (
    "Ledger export,,,,\r\n"
    "Trans No,Posting Date,Fiscal Year,Period,Cost Centre,Account Code,Net Amount,"
    "Supplier ID,Supplier Name,Description,Narrative\r\n"
    'J1,30/04/2025,2025-26,1,CC1,A1,"£1,234.56",S1,Café,"Books, ""large""",x\r\n'
    'J2,2025-04-30,2025-26,01,CC1,A1,"(£1,234.56)",,,"two\r\nlines",\r\n'
    "\r\n"
    'J3,30-Apr-2025,2025-26,1,CC1,A1,Â£12.00,,,,\r\n'
    '  ,  ,,,,,,,,,\r\n'
    'J4,30/04/25,2025-26,1,CC1,A1,-£5,,,,\r\n'
    'J5,31/02/2025,2025-26,1,CC1,A1,1 234.56,,,,\r\n'
    'J6,14:30,2025-27,14,CC1,A1,"12,3",,,,\r\n'
    'J1,30/04/2025,2025-26,1,CC1,A1,.5,,,,\r\n'
    'J7,30/04/2025 10:00,2025-26,1,CC1,A1,(-5),,,,\r\n'
    'J8,04/30/2025,2025-26,1,,A1,£1,,,,\r\n'
    'J9,30/04/2025,2025-26,1,CC1,A1,"£ 1,234,567.89",,,,\r\n'
)


def test_a_ledger_with_every_awkward_form():
    total = Decimal("1234.56") - Decimal("1234.56") + Decimal("12.00") - 5 + Decimal("1234.56") \
        + Decimal("0.5") + 1 + Decimal("1234567.89")
    data = (LEDGER + f'TOTAL,,,,,,"£{total:,}",,,,\r\n').encode("cp1252")
    fast, _ = both_ways("finance/ledger", data)
    assert fast.rows_read == 10, [q.reason for q in fast.quarantined]
    assert [q.line_number for q in fast.quarantined] == [10, 11, 12, 13, 14]
    assert fast.control_total == total


def test_a_control_total_that_does_not_match_is_refused_the_same_way():
    fast, _ = both_ways("finance/ledger", (LEDGER + "TOTAL,,,,,,£1.00\r\n").encode("cp1252"))
    with pytest.raises(FileRefused, match="control total mismatch"):
        fast.check_whole_file()


def test_an_unreadable_total_is_refused_the_same_way():
    fast, _ = both_ways("finance/ledger", (LEDGER + "total,,,,,,lots\r\n").encode("cp1252"))
    assert "the TOTAL row at line 16 has no readable control total" in fast.error


def test_contacts_timestamps_in_summer_winter_and_with_offsets():
    data = (
        b"contact_id,received_at,channel,service_code,outcome,wait_seconds\n"
        b"C1,2025-07-01 12:00,phone,S1,resolved,30\n"
        b"C2,15/01/2025 23:30:05,Online Form,S1,referred,\n"
        b"C3,2025-07-01T23:30:00Z,webchat,S1,abandoned,1.0\n"
        b"C4,2025-03-30 01:30,phone,S1,resolved,5\n"  # the hour the clocks skip
        b"C5,2025-10-26 01:30,phone,S1,resolved,5\n"  # the hour that happens twice
        b"C6,2025-07-01 25:00,fax,S1,resolved,x\n"
        b"C7,2025-07-01T12:00:00+0100,email,S1,resolved,2.5\n"
        b"C1,2025-07-01 12:00,phone,S1,resolved,30\n"
    )
    fast, _ = both_ways("customer/contacts", data)
    assert len(fast.quarantined) == 3


def test_payments_whole_row_duplicates_and_the_default_body():
    data = (
        "Body Name,Paid Date,Trans No,Net Amount,Supplier Name,Service Area\n"
        ",01/05/2025,T1,£600.00,Acme,Adults\n"
        ",01/05/2025,T1,£600.00,Acme,Adults\n"
        "Other Council,02/05/2025,T2,(£700.00),Redacted personal data,Adults\n"
    ).encode()
    both_ways("finance/payments", data, defaults={"body_name": "Milton Keynes"})


def test_a_snapshot_feed_with_two_dates_is_refused_the_same_way():
    data = (b"as_at_date,person_ref,directorate_code,course,assigned_date,due_date\n"
            b"31/03/2025,P1,ADS,cyber,01/01/2025,31/03/2025\n"
            b"30/06/2025,P2,ADS,cyber,01/01/2025,31/03/2025\n")
    fast, _ = both_ways("workforce/training", data)
    with pytest.raises(FileRefused, match="more than one as_at_date"):
        fast.check_whole_file()


def test_zero_data_rows_and_only_blank_rows():
    fast, _ = both_ways("reference/directorates", b"directorate_code,directorate_name\n , \n,\n")
    assert fast.error.startswith("zero data rows")


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    from onecouncil.simulate import simulate

    landing = tmp_path_factory.mktemp("columnar") / "landing"
    simulate(landing, FiscalPeriod.parse("2025-26-P02"), scale=0.03, seed=11)
    return landing


def test_every_simulated_csv_file_parses_the_same_both_ways(simulated):
    compared = 0
    for feed in FEEDS:
        for path in sorted((simulated / feed.folder).glob("*.csv")):
            data = path.read_bytes()
            if load._columnar(feed, data, path.name, {}) is None:
                continue
            both_ways(feed.folder, data, path.name)
            compared += 1
    assert compared >= 15
