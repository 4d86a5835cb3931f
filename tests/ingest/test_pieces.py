"""The columnar reader takes a file's body in pieces (bounded memory, the COPY started
while the rest is read): a piece ends only at a record's end, line numbers, quarantine,
key repeats across pieces and the control total are as if read whole, and a later piece
Polars cannot read sends the whole file row by row in the same transaction."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onecouncil.feeds import feed_by_folder
from onecouncil.ingest import columnar, load

from test_columnar import LEDGER, both_ways

HEADER = ("Trans No,Posting Date,Fiscal Year,Period,Cost Centre,Account Code,Net Amount,"
          "Supplier ID,Supplier Name,Description\r\n")


def ledger_rows(n: int) -> tuple[str, Decimal]:
    rows, total = [], Decimal(0)
    for i in range(n):
        amount = Decimal(i + 1)
        total += amount
        note = '"two\r\nlines, ""quoted"""' if i % 7 == 3 else "Café"
        rows.append(f'J{i},30/04/2025,2025-26,1,CC1,A1,"£{amount:,}",S1,Müller,{note}\r\n')
    return "".join(rows), total


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(columnar, "PIECE_BYTES", 97)  # a few records a piece, cut anywhere


def test_pieces_end_at_record_ends_even_inside_quoted_new_lines(small_pieces):
    body, total = ledger_rows(60)
    data = (HEADER + body + f'TOTAL,,,,,,"£{total:,}",,,\r\n').encode("cp1252")
    _, parsed, _ = load._columnar(feed_by_folder("finance/ledger"), data, "l.csv", {})
    pieces = list(parsed.pieces())
    assert len(pieces) > 10
    assert b"".join(piece for _, piece in pieces) == data[parsed.offset:]
    for (line, piece), (following, _) in zip(pieces, pieces[1:]):
        assert piece.endswith(b"\r\n") and piece.count(b'"') % 2 == 0
        assert following == line + piece.count(b"\n")


def test_a_file_in_many_pieces_parses_as_the_row_by_row_reader_does(small_pieces):
    body, total = ledger_rows(40)
    # bad rows and a key repeated many pieces later
    data = (LEDGER + body + body.splitlines(keepends=True)[0] + "J99,,2025-26,1,CC1,A1,x,,,,\r\n"
            + "TOTAL,,,,,,lots\r\n").encode("cp1252")
    fast, _ = both_ways("finance/ledger", data)
    assert "no readable control total" in fast.error
    body_total = Decimal("1234.56") - Decimal("1234.56") + Decimal("12.00") - 5 + Decimal(
        "1234.56") + Decimal("0.5") + 1 + Decimal("1234567.89") + total
    data = (LEDGER + body + body.splitlines(keepends=True)[0]
            + f'TOTAL,,,,,,"£{body_total:,}",,,,\r\n').encode("cp1252")
    fast, _ = both_ways("finance/ledger", data)
    assert fast.control_total == body_total
    assert any("repeats line" in q.reason for q in fast.quarantined)


def test_a_later_piece_polars_cannot_read_loads_the_file_row_by_row(small_pieces, ingest,
                                                                   drop, conn, monkeypatch):
    by_rows = []
    copy_rows = load._copy_rows
    monkeypatch.setattr(load, "_copy_rows", lambda *a: by_rows.append(a) or copy_rows(*a))
    body, total = ledger_rows(30)
    longer = "J500,30/04/2025,2025-26,1,CC1,A1,£1.00,S1,Acme,x,one too many\r\n"
    drop("finance/ledger", "p01.csv", (HEADER + body + longer).encode("cp1252"))
    [outcome] = ingest()
    # as the row-by-row reader takes it: the longer row is refused or kept, never half-copied
    rows = conn.execute("select count(*), count(distinct _line_number) from raw.finance__ledger"
                        ).fetchone()
    assert outcome.outcome == "loaded", outcome.reason
    assert rows[0] == rows[1] == outcome.rows_loaded
    assert outcome.rows_read == 31
    assert len(by_rows) == 1  # the columnar COPY was undone, not kept beside these rows
