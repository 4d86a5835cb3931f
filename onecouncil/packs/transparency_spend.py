"""The public monthly spend-over-£500 publication: the LGA-format CSV and a short page.

Payments to individuals are only ever `Redacted personal data` (the mart already
redacts them); the page never names them, counts them only through disclosure
control, and leaves them out of the top suppliers.
"""

from __future__ import annotations

import csv
import hashlib
import io
from decimal import Decimal
from typing import Any

import psycopg

from onecouncil.calendar import FiscalPeriod
from onecouncil.packs import disclosure, render
from onecouncil.packs.lineage import fetch, files

NAME = "transparency-spend"
TITLE = "Council spending over £500"
PUBLIC = True
TEMPLATE = "transparency-spend.html"
MARTS = ("marts.transparency_spend",)
REDACTED = "Redacted personal data"
TOP_SUPPLIERS = 10
CSV_NAME = f"{NAME}.csv"
# LGA column order and headings (Local Government Transparency Code 2015, spend over £500).
CSV_COLUMNS = (
    ("Body Name", "body_name"), ("Date", "transaction_date"),
    ("Transaction Number", "transaction_number"), ("Supplier Name", "supplier_name"),
    ("Amount", "amount"), ("Service Area (department)", "department"),
    ("Expenditure Category", "expenditure_category"), ("Capital or Revenue", "capital_or_revenue"),
)
SOURCE_FILE_IDS = """
    select f.file_id from ops.files f where f.feed = 'finance/payments' and f.outcome = 'loaded'
       and f.sha256 in (select distinct sha256 from marts.transparency_spend
                         where fiscal_year = %(fy)s and period = %(p)s)
"""


def build(conn: psycopg.Connection, month: FiscalPeriod) -> tuple[dict, dict]:
    fiscal_year, period = str(month.year), month.period
    params = {"fy": fiscal_year, "p": period}
    payments = fetch(
        conn, "select body_name, transaction_date, transaction_number, supplier_name, amount, "
              "department, expenditure_category, capital_or_revenue "
              "from marts.transparency_spend where fiscal_year = %(fy)s and period = %(p)s "
              "order by transaction_date, transaction_number, supplier_name, amount, department, "
              "expenditure_category, capital_or_revenue", params)
    for p in payments:
        # Defence in depth: whatever the mart says, an individual's name never leaves here.
        if p["supplier_name"] is None or p["supplier_name"].strip().lower() == REDACTED.lower():
            p["supplier_name"] = REDACTED
    limits = render.thresholds()
    csv_bytes = to_csv(payments)
    organisations = [p for p in payments if p["supplier_name"] != REDACTED]
    individuals = [p for p in payments if p["supplier_name"] == REDACTED]

    suppliers: dict[str, dict[str, Any]] = {}
    for p in organisations:
        s = suppliers.setdefault(p["supplier_name"], {"supplier_name": p["supplier_name"],
                                                      "payments": 0, "amount": Decimal(0)})
        s["payments"] += 1
        s["amount"] += p["amount"]
    # A supplier whose refunds outweigh its payments is not one "we paid most".
    top = sorted((s for s in suppliers.values() if s["amount"] > 0),
                 key=lambda s: (-s["amount"], s["supplier_name"]))

    areas: dict[str, list[Any]] = {}
    for p in payments:
        a = areas.setdefault(p["department"] or "Not given", [0, 0, Decimal(0)])
        a[1 if p["supplier_name"] == REDACTED else 0] += 1
        a[2] += p["amount"]
    names = sorted(areas)
    grid = [[areas[n][0], areas[n][1], areas[n][0] + areas[n][1]] for n in names]
    grid.append([len(organisations), len(individuals), len(payments)])
    # Only payments to individuals count people; the others may be hidden to protect them.
    shown = disclosure.suppress(grid, totals=True, people_columns=[1])
    by_area = [{"service_area": n, "organisations": shown[i][0], "individuals": shown[i][1],
                "payments": shown[i][2], "amount": areas[n][2]} for i, n in enumerate(names)]
    total_row = {"service_area": "All service areas", "organisations": shown[-1][0],
                 "individuals": shown[-1][1], "payments": shown[-1][2],
                 "amount": sum((p["amount"] for p in payments), Decimal(0))}

    # Counts of individuals are published only as disclosure control leaves them.
    figures = {
        "month": month.month_name,
        "threshold": limits["transparency_threshold"],
        "payments_published": len(payments),
        "total_amount": total_row["amount"],
        "top_suppliers": top[:TOP_SUPPLIERS],
        "by_service_area": by_area,
        "by_service_area_total": total_row,
        "csv": {"file_name": CSV_NAME, "rows": len(payments),
                "sha256": hashlib.sha256(csv_bytes).hexdigest()},
        "_csv": csv_bytes,  # private (underscore): written beside the pack, not into its JSON
    }
    source_files, quarantine = files(conn, SOURCE_FILE_IDS, params)
    lineage = {
        "marts": list(MARTS),
        "source_files": source_files,
        "quarantine": quarantine,
        "thresholds": {k: limits[k] for k in ("transparency_threshold", "council_name")},
    }
    return figures, lineage


def to_csv(payments: list[dict[str, Any]]) -> bytes:
    """UTF-8, the LGA headings, dates DD/MM/YYYY, amounts plain with 2 decimals (-600.00)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([h for h, _ in CSV_COLUMNS])
    for p in payments:
        row = []
        for _, field in CSV_COLUMNS:
            v = p[field]
            if field == "transaction_date":
                v = v.strftime("%d/%m/%Y")
            elif field == "amount":
                v = f"{Decimal(v).quantize(Decimal('0.01')):f}"
            row.append("" if v is None else v)
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def extras(figures: dict[str, Any], lineage: dict[str, Any], period: FiscalPeriod
           ) -> dict[str, bytes]:
    return {CSV_NAME: figures["_csv"]}
