"""No CSV or XLSX the project writes can run a formula in its reader's spreadsheet.

OWASP's CSV-injection guidance: a text cell that begins with =, +, -, @, a tab or a
carriage return is written so no spreadsheet evaluates it; numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from onecouncil.calendar import FiscalPeriod
from onecouncil.packs import cells, finance_outturn, transparency_spend

HOSTILE = ['=HYPERLINK("http://x","click")', "+SUM(1,2)", "-2+3", "@cmd",
           "=cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def _payment(supplier: str, amount: str) -> dict:
    return {"body_name": "Milton Keynes City Council", "transaction_date": dt.date(2025, 8, 4),
            "transaction_number": "T1", "supplier_name": supplier, "amount": Decimal(amount),
            "department": "Highways", "expenditure_category": "Works",
            "capital_or_revenue": "Revenue"}


def test_transparency_csv_neutralises_formula_text_and_keeps_numbers():
    payments = [_payment(s, "-600") for s in HOSTILE] + [_payment("Acme Ltd", "1234.5")]
    data = transparency_spend.to_csv(payments)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0] == ["Body Name", "Date", "Transaction Number", "Supplier Name", "Amount",
                       "Service Area (department)", "Expenditure Category",
                       "Capital or Revenue"]
    suppliers = [r[3] for r in rows[1:]]
    assert suppliers[:-1] == ["'" + s for s in HOSTILE]
    assert suppliers[-1] == "Acme Ltd"
    for cell in (c for r in rows[1:] for i, c in enumerate(r) if i != 4):
        assert not cell.startswith(cells.FORMULA_STARTS), cell
    # the amounts are numbers a spreadsheet sums: a negative one too
    assert [r[4] for r in rows[1:]] == ["-600.00"] * len(HOSTILE) + ["1234.50"]
    assert rows[1][1] == "04/08/2025"


def _figures(commentary: str) -> dict:
    line = {"current_budget": Decimal("1000"), "actual_ytd": Decimal("-250.5"),
            "forecast_outturn": Decimal("900"), "variance": Decimal("-100"),
            "variance_pct": Decimal("-10"), "rag": "Green", "movement": Decimal("0")}
    return {
        "council": {"period_end": dt.date(2025, 8, 31), **line},
        "directorates": [{"directorate_code": "=D1", "directorate_name": "@People", **line}],
        "services": [{"directorate_name": "People", "service_code": "S1",
                      "service_name": "+Care", **line}],
        "cost_centres": [{"directorate_name": "People", "service_name": "Care",
                          "cost_centre": "CC1", "cost_centre_name": "-Homes",
                          "budget_manager": "A Manager", "forecast_basis": "submitted",
                          "commentary": commentary, **line}],
    }


@pytest.mark.parametrize("commentary", HOSTILE)
def test_finance_xlsx_writes_every_text_as_a_string_never_a_formula(commentary):
    lineage = {"thresholds": {"council_name": "MKCC", "rag_amber_above_pct": "0.5",
                              "rag_red_above_pct": "2", "zero_budget_red_above": "1000",
                              "forecast_deadline_days": 10},
               "marts": ["marts.finance_outturn"],
               "source_files": [{"feed": "finance/ledger", "file_name": "=evil.csv",
                                 "sha256": "ab" * 32, "run_id": "r1"}]}
    data = finance_outturn.xlsx(_figures(commentary), lineage, FiscalPeriod.parse("2025-26-P05"),
                                "v1")
    book = load_workbook(io.BytesIO(data))
    texts = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts += 1
                    assert cell.data_type == "s"
                    if cell.value.startswith(cells.FORMULA_STARTS):
                        assert cell.quotePrefix, (ws.title, cell.coordinate)
    assert texts > 20
    cc = book["Cost centres"]
    header = [c.value for c in cc[1]]
    # the text itself is kept (XML reads a carriage return back as a new line)
    kept = cc.cell(row=2, column=header.index("Commentary") + 1).value
    assert kept == commentary.replace("\r", "\n")
    # numbers stay numbers, a negative one too
    actual = cc.cell(row=2, column=header.index("Actual to date (£)") + 1)
    assert actual.data_type == "n" and actual.value == pytest.approx(-250.5)
    assert book["Directorates"]["A2"].value == "=D1"
    notes = "\n".join(str(c.value) for c in book["Notes"]["B"] if c.value)
    assert "=evil.csv" in notes
    # and in the stored XML no cell is a formula
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_every_csv_and_xlsx_writer_goes_through_the_cells_helper():
    """A new writer of CSV or XLSX output uses cells.py; the simulator and the benchmark
    write the council's source files (loader input), not files for readers."""
    root = Path(cells.__file__).resolve().parent.parent
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(("simulate/", "bench/")) or rel == "packs/cells.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"csv\.(writer|DictWriter)\(", text):
            offenders.append(f"{rel}: writes CSV itself; use cells.csv_bytes")
        if re.search(r"\bWorkbook\(", text) and (
                "xlsx_append" not in text or re.search(r"\b(ws|notes|sheet)\.append\(", text)):
            offenders.append(f"{rel}: appends XLSX rows itself; use cells.xlsx_append")
    assert offenders == []


@pytest.mark.parametrize("value, written", [
    ("=1+1", "'=1+1"), ("plain", "plain"), (Decimal("-600.00"), "-600.00"), (-3, "-3"),
    (None, ""), ("", ""), ("a=b", "a=b")])
def test_csv_value(value, written):
    assert cells.csv_value(value) == written
