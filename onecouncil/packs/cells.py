"""Cells of the CSV and XLSX files the project writes, made safe for whoever opens them.

A text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by
spreadsheets as a formula (OWASP, "CSV Injection"): a supplier named
`=HYPERLINK(...)` would run in the reader's spreadsheet. Every writer of a CSV or
an XLSX goes through this module:

- CSV: such a text is written with a leading `'` (OWASP's advice), so it shows as
  text and is never evaluated; numbers (Decimal, int) are written as plain numbers,
  a negative amount stays `-600.00`.
- XLSX: every text is a string cell, never a formula cell; a text that would look
  like a formula also carries Excel's "quote prefix", so editing it keeps it text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def inert(text: str) -> str:
    """The text as a CSV cell no spreadsheet evaluates."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(value: object) -> str:
    """One CSV cell: text made inert, numbers plain (Decimal in fixed point), None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return inert(str(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]],
              lineterminator: str = "\r\n") -> bytes:
    """A UTF-8 CSV with every cell through `csv_value`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow([csv_value(h) for h in header])
    writer.writerows([csv_value(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def xlsx_append(ws, values: Sequence[object]) -> None:
    """Append one row to an openpyxl worksheet with every text as a string cell.

    The text cells are made before the row is appended: finding the new row's cells
    afterwards (`ws[ws.max_row]`) reads every cell of the sheet, once per row."""
    from openpyxl.cell.cell import Cell

    row: list[object] = []
    for value in values:
        if isinstance(value, str):
            cell = Cell(ws, value=value)
            cell.data_type = "s"  # openpyxl makes any text starting with `=` a formula
            if looks_like_formula(value):
                cell.quotePrefix = True
            value = cell
        row.append(value)
    ws.append(row)
