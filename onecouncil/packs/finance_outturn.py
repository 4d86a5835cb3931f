"""The monthly finance outturn pack for the Corporate Leadership Team (restricted).

Reads the finance marts of docs/finance-marts.md; the pack shows the council
headline, directorates, movement, every Amber and Red service down to its cost
centres with their commentary, forecast compliance and unmapped lines, and an
.xlsx with a sheet per level in full pounds.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

import psycopg

from onecouncil.calendar import FiscalPeriod
from onecouncil.packs import charts, formatting, output, render
from onecouncil.packs.lineage import fetch, files

NAME = "finance-outturn"
TITLE = "Finance outturn"
PUBLIC = False
TEMPLATE = "finance-outturn.html"
MARTS = ("marts.finance_outturn", "marts.finance_outturn_council",
         "marts.finance_outturn_directorate", "marts.finance_outturn_service",
         "marts.finance_unmapped_lines", "marts.forecast_compliance")
THRESHOLD_KEYS = ("rag_amber_above_pct", "rag_red_above_pct", "zero_budget_red_above",
                  "forecast_deadline_days", "council_name")

LINE_COLUMNS = ("current_budget", "actual_ytd", "forecast_outturn", "variance", "variance_pct",
                "rag", "movement")
# Unmapped sorts last wherever it appears: it is not a directorate or a service.
UNMAPPED_LAST = "({col} = 'UNMAPPED')"

# The raw rows current for the period: a ledger line of any period up to P (actuals are
# year to date), the year's budget, forecasts up to P (one may be carried forward), and
# the reference snapshots. `_replaced_at is null` keeps only rows no later file replaced.
SOURCE_FILE_IDS = """
    select _file_id from raw.finance__ledger
     where _replaced_at is null and fiscal_year = %(fy)s and period <= %(p)s
    union select _file_id from raw.finance__budget
     where _replaced_at is null and fiscal_year = %(fy)s
    union select _file_id from raw.finance__forecast
     where _replaced_at is null and fiscal_year = %(fy)s and period <= %(p)s
    union select _file_id from raw.reference__directorates where _replaced_at is null
    union select _file_id from raw.reference__services where _replaced_at is null
    union select _file_id from raw.reference__cost_centres where _replaced_at is null
    union select _file_id from raw.reference__accounts where _replaced_at is null
"""


def build(conn: psycopg.Connection, month: FiscalPeriod) -> tuple[dict, dict]:
    """(figures, lineage) for one month; figures hold every number the pack and .xlsx show."""
    fiscal_year, period = str(month.year), month.period
    params = {"fy": fiscal_year, "p": period}
    cols = ", ".join(LINE_COLUMNS)
    council = fetch(conn, f"select period_end, {cols} from marts.finance_outturn_council "
                          "where fiscal_year = %(fy)s and period = %(p)s", params)
    directorates = fetch(
        conn, f"select directorate_code, directorate_name, {cols} "
              "from marts.finance_outturn_directorate "
              "where fiscal_year = %(fy)s and period = %(p)s "
              f"order by {UNMAPPED_LAST.format(col='directorate_code')}, directorate_name, "
              "directorate_code", params)
    services = fetch(
        conn, f"select directorate_code, directorate_name, service_code, service_name, {cols} "
              "from marts.finance_outturn_service where fiscal_year = %(fy)s and period = %(p)s "
              f"order by {UNMAPPED_LAST.format(col='directorate_code')}, directorate_name, "
              f"directorate_code, {UNMAPPED_LAST.format(col='service_code')}, service_name, "
              "service_code", params)
    cost_centres = fetch(
        conn, "select directorate_code, directorate_name, service_code, service_name, "
              f"cost_centre, cost_centre_name, budget_manager, {cols}, forecast_basis, "
              "commentary, submitted_at, is_unmapped "
              "from marts.finance_outturn where fiscal_year = %(fy)s and period = %(p)s "
              f"order by {UNMAPPED_LAST.format(col='directorate_code')}, directorate_name, "
              f"directorate_code, {UNMAPPED_LAST.format(col='service_code')}, service_name, "
              "service_code, cost_centre", params)
    compliance = fetch(
        conn, "select directorate_code, directorate_name, active_cost_centres, submitted_on_time, "
              "submitted_late, not_submitted, compliance_pct, deadline "
              "from marts.forecast_compliance where fiscal_year = %(fy)s and period = %(p)s "
              f"order by {UNMAPPED_LAST.format(col='directorate_code')}, directorate_name, "
              "directorate_code", params)
    unmapped = fetch(
        conn, "select source, cost_centre, account_code, reason, lines, amount "
              "from marts.finance_unmapped_lines where fiscal_year = %(fy)s and period = %(p)s "
              "order by source, cost_centre nulls first, account_code nulls first, reason", params)

    if not council:
        raise LookupError(f"marts.finance_outturn_council has no row for {fiscal_year} "
                          f"period {period}: has the transform run for it?")
    totals = {k: sum((r[k] or 0) for r in compliance)
              for k in ("active_cost_centres", "submitted_on_time", "submitted_late",
                        "not_submitted")}
    totals["compliance_pct"] = (
        (Decimal(totals["submitted_on_time"]) * 100 / totals["active_cost_centres"])
        .quantize(Decimal("0.1")) if totals["active_cost_centres"] else None)
    figures = {
        "council": council[0],
        "directorates": directorates,
        "services": services,
        "cost_centres": cost_centres,
        "amber_red_services": [s["service_code"] for s in services
                               if s["rag"] in ("Amber", "Red")],
        "compliance": compliance,
        "compliance_total": totals,
        "unmapped_lines": unmapped,
        "units": {"tables": "GBP thousands, 1 decimal place; negative with a leading minus",
                  "json": "GBP, as stored in the marts"},
    }
    source_files, quarantine = files(conn, SOURCE_FILE_IDS, params)
    limits = render.thresholds()
    lineage = {
        "marts": list(MARTS),
        "source_files": source_files,
        "quarantine": quarantine,
        "thresholds": {k: limits[k] for k in THRESHOLD_KEYS},
    }
    return figures, lineage


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
        rows = [figures[key]] if key == "council" else figures[key]
        ws.append([c[0] for c in columns])
        for cell in ws[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        for row in rows:
            ws.append([row.get(c[1]) for c in columns])
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
        notes.append(list(line))
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
