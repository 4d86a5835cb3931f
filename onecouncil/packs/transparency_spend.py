"""The public monthly spend-over-£500 publication: the LGA-format CSV and a short page.

Payments to individuals are only ever `Redacted personal data` (the mart already
redacts them); the page never names them, counts them only through disclosure
control, and leaves them out of the top suppliers. The CSV rows are
marts.transparency_spend's; the page's tables and headline are report rows
(dbt/models/reports/transparency), with disclosure control applied here, at render time.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import psycopg

from onecouncil.calendar import FiscalPeriod
from onecouncil.packs import cells, disclosure
from onecouncil.packs.lineage import sources
from onecouncil.packs.rows import fetch
from onecouncil.packs.sections import not_available
from onecouncil.packs.thresholds import pick, thresholds

NAME = "transparency-spend"
MARTS = ("marts.transparency_spend",)
REDACTED = "Redacted personal data"
CSV_NAME = f"{NAME}.csv"
THRESHOLD_KEYS = ("transparency_threshold", "council_name")
# What the page waits for when the month has no payments yet (feed folder).
FEEDS = ("finance/payments",)
# LGA column order and headings (Local Government Transparency Code 2015, spend over £500).
CSV_COLUMNS = (
    ("Body Name", "body_name"), ("Date", "transaction_date"),
    ("Transaction Number", "transaction_number"), ("Supplier Name", "supplier_name"),
    ("Amount", "amount"), ("Service Area (department)", "department"),
    ("Expenditure Category", "expenditure_category"), ("Capital or Revenue", "capital_or_revenue"),
)
WHERE = "where fiscal_year = %(fy)s and period = %(p)s"
AREA_COUNTS = ("organisations", "individuals", "payments")


def build(conn: psycopg.Connection, month: FiscalPeriod) -> tuple[dict, dict]:
    """(figures, lineage) for one month: the publication's rows (marts.transparency_spend)
    and the page's tables (the transparency report models), with disclosure control applied to
    the counts of payments to individuals. A month with no payments yet renders, saying so.
    """
    key = {"fy": str(month.year), "p": month.period}
    payments = fetch(
        conn, "select " + ", ".join(field for _, field in CSV_COLUMNS) + " "
              f"from marts.transparency_spend {WHERE} "
              "order by transaction_date, transaction_number, supplier_name, amount, department, "
              "expenditure_category, capital_or_revenue", key)
    for p in payments:
        # Defence in depth: whatever the mart says, an individual's name never leaves here.
        if p["supplier_name"] is None or p["supplier_name"].strip().lower() == REDACTED.lower():
            p["supplier_name"] = REDACTED
    top = fetch(conn, "select supplier_name, payments, amount "
                      f"from reports.rpt_transparency__top_suppliers {WHERE} "
                      "order by supplier_rank", key)
    areas = fetch(conn, "select service_area, is_total, organisations, individuals, payments, "
                        f"amount from reports.rpt_transparency__by_service_area {WHERE} "
                        "order by sort_order", key)
    limits = thresholds(conn)
    csv_bytes = to_csv(payments)
    figures: dict[str, Any] = {
        "month": month.month_name,
        "threshold": limits["transparency_threshold"],
        **service_area_table(areas),
        "top_suppliers": top,
        "csv": {"file_name": CSV_NAME, "rows": len(payments),
                "sha256": hashlib.sha256(csv_bytes).hexdigest()},
        "_csv": csv_bytes,  # private (underscore): written beside the pack, not into its JSON
    }
    # the files of reports.rpt_transparency__source_files, through reports.pack_sources
    source_files, quarantine = sources(conn, NAME, month)
    lineage = {
        "marts": list(MARTS),
        "source_files": source_files,
        "quarantine": quarantine,
        "thresholds": pick(limits, THRESHOLD_KEYS),
    }
    return figures, lineage


def service_area_table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The by-service-area table as published: the report rows (areas, then the total
    row last) with disclosure control on the counts, and the month's headline figures."""
    total = [r for r in rows if r["is_total"]]
    if not total:
        return not_available(FEEDS, payments_published=0, total_amount=None,
                             by_service_area=[], by_service_area_total=None)
    grid = [r for r in rows if not r["is_total"]] + total
    # Only payments to individuals count people; the others may be hidden to protect them.
    # The total row is the grid's last row and column, so it is protected the same way.
    shown = disclosure.suppress([[r[c] for c in AREA_COUNTS] for r in grid], totals=True,
                                people_columns=[1])
    published = [{"service_area": r["service_area"], **dict(zip(AREA_COUNTS, cells, strict=True)),
                  "amount": r["amount"]} for r, cells in zip(grid, shown, strict=True)]
    return {
        # Counts of individuals are published only as disclosure control leaves them.
        "payments_published": total[0]["payments"],
        "total_amount": total[0]["amount"],
        "by_service_area": published[:-1],
        "by_service_area_total": published[-1],
    }


def to_csv(payments: list[dict[str, Any]]) -> bytes:
    """UTF-8, the LGA headings, dates DD/MM/YYYY, amounts plain with 2 decimals (-600.00);
    texts that a spreadsheet would run as a formula are made inert (cells.py)."""
    rows = []
    for p in payments:
        row = []
        for _, field in CSV_COLUMNS:
            v = p[field]
            if field == "transaction_date":
                v = v.strftime("%d/%m/%Y")
            elif field == "amount":
                v = Decimal(v).quantize(Decimal("0.01"))
            row.append(v)
        rows.append(row)
    return cells.csv_bytes([h for h, _ in CSV_COLUMNS], rows)


def extras(figures: dict[str, Any], lineage: dict[str, Any], period: FiscalPeriod
           ) -> dict[str, bytes]:
    return {CSV_NAME: figures["_csv"]}
