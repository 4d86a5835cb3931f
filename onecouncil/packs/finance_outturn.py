"""The monthly finance outturn pack for the Corporate Leadership Team (restricted).

The pack shows the council headline, directorates, movement, every Amber and Red
service down to its cost centres with their commentary, forecast compliance and
unmapped lines, and an .xlsx with a sheet per level in full pounds. The outturn tables
are the finance marts' rows as they are (docs/finance-marts.md); the compliance table
with its council total, the list of Amber and Red services and the lineage are report
rows (dbt/models/reports/finance). Nothing is worked out here.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

import psycopg

from onecouncil.calendar import FiscalPeriod
from onecouncil.packs import cells, charts, formatting, output
from onecouncil.packs.lineage import sources
from onecouncil.packs.rows import fetch
from onecouncil.packs.sections import not_available
from onecouncil.packs.thresholds import pick, thresholds

NAME = "finance-outturn"
MARTS = ("marts.finance_outturn", "marts.finance_outturn_council",
         "marts.finance_outturn_directorate", "marts.finance_outturn_service",
         "marts.finance_unmapped_lines", "marts.forecast_compliance")
THRESHOLD_KEYS = ("rag_amber_above_pct", "rag_red_above_pct", "zero_budget_red_above",
                  "forecast_deadline_days", "council_name")
# What each part waits for when its rows are not there yet (feed folders).
OUTTURN_FEEDS = ("finance/ledger", "finance/budget", "finance/forecast")
COMPLIANCE_FEEDS = ("finance/forecast", "reference/cost_centres")
UNITS = {"tables": "GBP thousands, 1 decimal place; negative with a leading minus",
         "json": "GBP, as stored in the marts"}

LINE_COLUMNS = ("current_budget", "actual_ytd", "forecast_outturn", "variance", "variance_pct",
                "rag", "movement")
COMPLIANCE_COLUMNS = ("active_cost_centres", "submitted_on_time", "submitted_late",
                      "not_submitted", "compliance_pct")
# Unmapped sorts last wherever it appears: it is not a directorate or a service.
UNMAPPED_LAST = "({col} = 'UNMAPPED')"

WHERE = "where fiscal_year = %(fy)s and period = %(p)s"
DIRECTORATE_ORDER = (f"{UNMAPPED_LAST.format(col='directorate_code')}, directorate_name, "
                     "directorate_code")
SERVICE_ORDER = (f"{DIRECTORATE_ORDER}, {UNMAPPED_LAST.format(col='service_code')}, "
                 "service_name, service_code")


def build(conn: psycopg.Connection, month: FiscalPeriod) -> tuple[dict, dict]:
    """(figures, lineage) for one month; figures hold every number the pack and .xlsx show.

    The outturn tables are the finance marts' rows as they are; the compliance table, its
    council total and the list of Amber and Red services are report rows
    (dbt/models/reports/finance). A month with no outturn yet renders, saying so.
    """
    key = {"fy": str(month.year), "p": month.period}
    cols = ", ".join(LINE_COLUMNS)
    council = fetch(conn, f"select period_end, {cols} from marts.finance_outturn_council {WHERE}",
                    key)
    directorates = fetch(
        conn, f"select directorate_code, directorate_name, {cols} "
              f"from marts.finance_outturn_directorate {WHERE} order by {DIRECTORATE_ORDER}", key)
    services = fetch(
        conn, f"select directorate_code, directorate_name, service_code, service_name, {cols} "
              f"from marts.finance_outturn_service {WHERE} order by {SERVICE_ORDER}", key)
    cost_centres = fetch(
        conn, "select directorate_code, directorate_name, service_code, service_name, "
              f"cost_centre, cost_centre_name, budget_manager, {cols}, forecast_basis, "
              "commentary, submitted_at, is_unmapped "
              f"from marts.finance_outturn {WHERE} order by {SERVICE_ORDER}, cost_centre", key)
    amber_red = fetch(conn, "select service_code from reports.rpt_finance__amber_red_services "
                            f"{WHERE} order by sort_order", key)
    compliance = fetch(
        conn, "select directorate_code, directorate_name, "
              f"{', '.join(COMPLIANCE_COLUMNS)}, deadline "
              f"from reports.rpt_finance__compliance_directorate {WHERE} order by sort_order", key)
    compliance_total = fetch(
        conn, f"select {', '.join(COMPLIANCE_COLUMNS)} "
              f"from reports.rpt_finance__compliance_council {WHERE}", key)
    unmapped = fetch(
        conn, "select source, cost_centre, account_code, reason, lines, amount "
              f"from marts.finance_unmapped_lines {WHERE} "
              "order by source, cost_centre nulls first, account_code nulls first, reason", key)

    figures: dict[str, Any] = {
        "council": council[0] if council else not_available(OUTTURN_FEEDS),
        "directorates": directorates,
        "services": services,
        "cost_centres": cost_centres,
        "amber_red_services": [s["service_code"] for s in amber_red],
        "compliance": compliance,
        "compliance_total": (compliance_total[0] if compliance_total
                             else not_available(COMPLIANCE_FEEDS)),
        "unmapped_lines": unmapped,
        "units": UNITS,
    }
    # the files of reports.rpt_finance__source_files, through reports.pack_sources
    source_files, quarantine = sources(conn, NAME, month)
    lineage = {
        "marts": list(MARTS),
        "source_files": source_files,
        "quarantine": quarantine,
        "thresholds": pick(thresholds(conn), THRESHOLD_KEYS),
    }
    return figures, lineage


def available(section: dict[str, Any]) -> bool:
    """False for a part whose rows are not there yet (not_available)."""
    return section.get("available", True) is not False


def directorate_chart(directorates: list[dict[str, Any]]) -> dict[str, Any]:
    return charts.bar_chart([(d["directorate_name"], d["variance"] or Decimal(0),
                       formatting.thousands(d["variance"])) for d in directorates])


# ---------------------------------------------------------------- xlsx

SHEETS = (
    ("Council", "council", (("Period end", "period_end", "date"),)),
    ("Directorates", "directorates", (("Directorate code", "directorate_code", None),
                                      ("Directorate", "directorate_name", None))),
    ("Services", "services", (("Directorate", "directorate_name", None),
                              ("Service code", "service_code", None),
                              ("Service", "service_name", None))),
    ("Cost centres", "cost_centres", (("Directorate", "directorate_name", None),
                                      ("Service", "service_name", None),
                                      ("Cost centre", "cost_centre", None),
                                      ("Cost centre name", "cost_centre_name", None),
                                      ("Budget manager", "budget_manager", None))),
)
AMOUNTS = (("Current budget (£)", "current_budget", "money"),
           ("Actual to date (£)", "actual_ytd", "money"),
           ("Forecast outturn (£)", "forecast_outturn", "money"),
           ("Variance (£)", "variance", "money"),
           ("Variance (%)", "variance_pct", "pct"),
           ("RAG", "rag", None),
           ("Movement since last month (£)", "movement", "money"))
CC_EXTRA = (("Forecast basis", "forecast_basis", None), ("Commentary", "commentary", None))
FORMATS = {"money": "#,##0.00;-#,##0.00", "pct": '0.0"%"', "date": "dd/mm/yyyy"}


def xlsx(figures: dict[str, Any], lineage: dict[str, Any], period: FiscalPeriod,
         data_version: str) -> bytes:
    """The workbook, byte-identical for the same figures (fixed document dates, zip times)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for title, key, lead in SHEETS:
        ws = wb.create_sheet(title)
        columns = list(lead) + list(AMOUNTS) + (list(CC_EXTRA) if key == "cost_centres" else [])
        if key == "council":
            rows = [figures["council"]] if available(figures["council"]) else []
        else:
            rows = figures[key]
        cells.xlsx_append(ws, [c[0] for c in columns])
        for cell in ws[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        for row in rows:
            cells.xlsx_append(ws, [row.get(c[1]) for c in columns])
        for i, (heading, field, fmt) in enumerate(columns, start=1):
            letter = get_column_letter(i)
            if fmt:
                for cell in ws[letter][1:]:
                    cell.number_format = FORMATS[fmt]
            longest = max([len(heading) // 2 + 2]
                          + [len(str(r.get(field) or "")) + 2 for r in rows[:500]])
            ws.column_dimensions[letter].width = min(max(longest, 12), 60)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    notes = wb.create_sheet("Notes")
    limits = lineage["thresholds"]
    lines = [
        ("Finance outturn", f"{period.description}, {limits['council_name']}"),
        ("Classification", "Restricted"),
        ("Data version", data_version),
        ("Amounts", "Pounds and pence; a positive variance is an overspend."),
        ("Variance (%)", "Variance as a percentage of the absolute current budget; "
                         "blank when the budget is 0."),
        ("RAG", f"Green: variance at most {limits['rag_amber_above_pct']}% of budget (any "
                f"underspend is Green). Amber: above {limits['rag_amber_above_pct']}% up to "
                f"{limits['rag_red_above_pct']}%. Red: above {limits['rag_red_above_pct']}%, or "
                f"a zero-budget line overspent by more than £{limits['zero_budget_red_above']}."),
        ("Forecast deadline", f"{limits['forecast_deadline_days']} calendar days after the "
                              "period's end."),
        ("Unmapped", "Lines whose cost centre or account is not in the reference data, "
                     "totalled under UNMAPPED and included in every total."),
        ("", ""),
        ("Marts read", ", ".join(lineage["marts"])),
        ("", ""),
        ("Source files", "feed | file name | sha256 | ingestion run"),
    ]
    lines += [(f["feed"], f"{f['file_name']} | {f['sha256']} | {f['run_id'] or ''}")
              for f in lineage["source_files"]]
    for line in lines:
        cells.xlsx_append(notes, list(line))
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 110
    for cell in notes["A"]:
        cell.font = bold
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fix_zip(buffer.getvalue(), period)


def _fix_zip(data: bytes, period: FiscalPeriod) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml and every zip entry: pin both."""
    stamp = f"{period.last_day.isoformat()}T00:00:00Z"
    date_time = (period.last_day.year, period.last_day.month, period.last_day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              rf"\g<1>{stamp}\g<3>", text)
                content = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


def extras(figures: dict[str, Any], lineage: dict[str, Any], period: FiscalPeriod
           ) -> dict[str, bytes]:
    version = output.data_version(lineage["source_files"])
    return {f"{NAME}.xlsx": xlsx(figures, lineage, period, version)}


def context(figures: dict[str, Any]) -> dict[str, Any]:
    """What the template needs beyond the figures: the chart's geometry."""
    chart = directorate_chart(figures["directorates"])
    chart["description"] = (
        "Bar chart of each directorate's forecast variance in £000. Bars to the right of the "
        "line are overspends, to the left underspends. "
        + "; ".join(f"{b['label']}: {b['display']}" for b in chart["bars"]) + ".")
    return {"chart": chart}
