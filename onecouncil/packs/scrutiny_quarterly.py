"""The quarterly pack for the scrutiny committee (public).

Reads the services marts (docs/services-marts.md) and the indicator mart
(docs/performance-marts.md). Sections: corporate projects and capital schemes; every
public indicator for the quarter; customer contact by channel; consultation compliance;
mandatory training by directorate and course; data quality.

Each mart is optional: the marts are built in parallel with this pack, so a missing
relation (or one with nothing for the quarter) makes its section say the data is not
yet available instead of failing the whole pack.

Public, so (rules.md "Publication and disclosure control"): rows a relation marks not
public or restricted are left out; indicator values that count people follow the
Cabinet pack's rule (cabinet_quarterly.suppress_by_year), so both packs hide the same
figures; training counts are people, disclosure-controlled with totals
(disclosure.suppress). Suppressed figures never reach the JSON.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import psycopg

from onecouncil.calendar import FiscalPeriod, FiscalQuarter, FiscalYear
from onecouncil.packs import charts, disclosure, formatting, render
from onecouncil.packs.cabinet_quarterly import (
    INDICATOR_COLUMNS,
    _as_count,
    _relation_exists,
    _shown_indicator,
    _visibility,
    counts_people,
    quarter_end,
    suppress_by_year,
)
from onecouncil.packs.lineage import fetch, files

NAME = "scrutiny-quarterly"
TITLE = "Scrutiny committee quarterly report"
PUBLIC = True
TEMPLATE = "scrutiny-quarterly.html"

# Worst first, so the committee reads the projects that need its attention first.
PROJECT_RAGS = ("Red", "Amber/Red", "Amber/Green", "Green")
CHANNEL_ORDER = ("phone", "online form", "email", "webchat", "face to face")


def quarter_start(fiscal_year: str, quarter: int) -> dt.date:
    month = 4 + 3 * (quarter - 1)
    year = int(fiscal_year[:4]) + (1 if month > 12 else 0)
    return dt.date(year, (month - 1) % 12 + 1, 1)


def directorate_names(conn: psycopg.Connection) -> dict[str, str]:
    """Directorate names by code, from the marts that carry them (the services marts do not)."""
    names: dict[str, str] = {}
    for rel in ("marts.finance_outturn_directorate", "marts.indicator_results"):
        if _relation_exists(conn, rel):
            for r in fetch(conn, f"select distinct directorate_code, directorate_name from {rel} "
                                 "where directorate_code is not null and directorate_name "
                                 "is not null order by 1, 2"):
                names.setdefault(r["directorate_code"], r["directorate_name"])
    return names


# ---------------------------------------------------------------- sections

def _projects(conn, q_end, dirs) -> tuple[dict[str, Any], list[str]]:
    rel = "marts.project_status"
    if not _relation_exists(conn, rel):
        return {"available": False, "as_at_date": None, "rows": [], "by_rag": {}}, []
    visible = _visibility(conn, rel)
    as_at = fetch(conn, f"select max(as_at_date) as d from {rel} "
                        f"where {visible} and as_at_date <= %(e)s", {"e": q_end})[0]["d"]
    if as_at is None:
        return {"available": False, "as_at_date": None, "rows": [], "by_rag": {}}, []
    rows = fetch(conn, "select project_id, project_name, directorate_code, stage, is_capital, "
                       "approved_budget, spend_to_date, forecast_outturn, cost_variance, "
                       "cost_variance_pct, baseline_end_date, forecast_end_date, slippage_days, "
                       f"overall_rag, sha256 from {rel} where {visible} and as_at_date = %(d)s "
                       "order by project_name, project_id", {"d": as_at})
    rank = {r: i for i, r in enumerate(PROJECT_RAGS)}
    rows.sort(key=lambda r: rank.get(r["overall_rag"], len(PROJECT_RAGS)))
    shown = [{**{k: r[k] for k in r if k != "sha256"},
              "is_capital": bool(r["is_capital"]),
              "directorate_name": dirs.get(r["directorate_code"], r["directorate_code"])}
             for r in rows]
    by_rag = {k: sum(1 for r in rows if r["overall_rag"] == k) for k in PROJECT_RAGS}
    return ({"available": True, "as_at_date": as_at, "rows": shown, "by_rag": by_rag},
            [r["sha256"] for r in rows if r["sha256"]])


def _indicators(conn, fiscal_year, quarter) -> tuple[dict[str, Any], list[str]]:
    rel = "marts.indicator_results"
    if not _relation_exists(conn, rel):
        return {"available": False, "rows": [], "not_returned": []}, []
    public = "is_public is true and " + _visibility(conn, rel)
    params = {"fy": fiscal_year, "q": quarter}
    current = fetch(
        conn, f"select {INDICATOR_COLUMNS} from {rel} where {public} and fiscal_year = %(fy)s "
              "and ((period_type = 'quarter' and quarter = %(q)s) "
              "or (%(q)s = 4 and period_type = 'year')) "
              "order by directorate_name, directorate_code, indicator_name, indicator_id, "
              "period_type", params)
    if not current:
        return {"available": False, "rows": [], "not_returned": []}, []
    # The year's quarters so far, so a value is hidden exactly as the Cabinet pack hides it.
    people = [r["indicator_id"] for r in current if counts_people(r)]
    year_rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if people:
        for r in fetch(conn, f"select {INDICATOR_COLUMNS} from {rel} where {public} "
                             "and fiscal_year = %(fy)s and indicator_id = any(%(ids)s) "
                             "and period_type in ('quarter', 'year') "
                             "and (period_type = 'year' or quarter <= %(q)s) "
                             "order by indicator_id, period_type, period_end",
                       {**params, "ids": people}):
            year_rows.setdefault((r["indicator_id"], r["period_type"]), []).append(r)
    rows = []
    for r in current:
        hidden = False
        if counts_people(r):
            history = year_rows.get((r["indicator_id"], r["period_type"]), [r])
            hidden = suppress_by_year(history, "value")[-1]
        shown = _shown_indicator(r, hidden)
        shown["not_returned"] = r["rag"] == "Not returned"
        rows.append(shown)
    not_returned = [{"indicator_id": r["indicator_id"], "indicator_name": r["indicator_name"],
                     "directorate_name": r["directorate_name"], "period": r["period"]}
                    for r in rows if r["not_returned"]]
    shas = [r["sha256"] for rs in [current, *year_rows.values()] for r in rs if r["sha256"]]
    return {"available": True, "rows": rows, "not_returned": not_returned}, shas


def _contact(conn, fiscal_year, quarter) -> dict[str, Any]:
    rel = "marts.contact_monthly"
    unavailable = {"available": False, "channels": [], "months": [], "year_to_date": []}
    if not _relation_exists(conn, rel):
        return unavailable
    rows = fetch(conn, "select period, month_start, channel, contacts, phone_answer_rate, "
                       "digital_share, resolved_first_contact from " + rel +
                       " where fiscal_year = %(fy)s and period <= %(p)s "
                       "order by period, channel", {"fy": fiscal_year, "p": quarter * 3})
    if not rows:
        return unavailable
    found = {r["channel"] for r in rows if r["channel"] != "all"}
    channels = [c for c in CHANNEL_ORDER if c in found] + sorted(found - set(CHANNEL_ORDER))
    months = []
    for period in sorted({r["period"] for r in rows}):
        these = {r["channel"]: r for r in rows if r["period"] == period}
        every = these.get("all") or {}
        phone = these.get("phone") or {}
        by_channel = {c: (these[c]["contacts"] if c in these else 0) for c in channels}
        first = next(iter(these.values()))
        months.append({
            "period": period,
            "month": FiscalPeriod(FiscalYear.parse(fiscal_year), period).month_name,
            "month_start": first["month_start"], "contacts": by_channel,
            "total": every.get("contacts", sum(by_channel.values())),
            "phone_answer_rate": phone.get("phone_answer_rate"),
            "digital_share": every.get("digital_share"),
            "resolved_first_contact": every.get("resolved_first_contact")})
    ytd = [{"channel": c, "contacts": sum(m["contacts"][c] for m in months)} for c in channels]
    return {"available": True, "channels": channels, "months": months, "year_to_date": ytd,
            "year_to_date_total": sum(m["total"] for m in months)}


def _consultations(conn, q_start, q_end) -> tuple[dict[str, Any], list[str]]:
    rel = "marts.consultation_compliance"
    if not _relation_exists(conn, rel):
        return {"available": False, "rows": []}, []
    visible = _visibility(conn, rel)
    rows = fetch(conn, "select consultation_id, title, start_date, end_date, statutory, "
                       "counting_days, includes_august, required_days, status, "
                       "parishes_notified_date, parishes_notified_in_time, sha256 "
                       f"from {rel} where {visible} and start_date <= %(e)s "
                       "and end_date >= %(s)s order by start_date, title, consultation_id",
                 {"s": q_start, "e": q_end})
    # responses are left out: a handful of respondents would be a small count of people.
    shown = [{k: v for k, v in r.items() if k != "sha256"} for r in rows]
    return ({"available": True, "rows": shown,
             "compliant": sum(1 for r in rows if r["status"] == "compliant"),
             "too_short": sum(1 for r in rows if r["status"] == "too short"),
             "statutory": sum(1 for r in rows if r["status"] == "statutory")},
            [r["sha256"] for r in rows if r.get("sha256")])


def training_table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Due, completed on time and not completed on time per directorate and course, disclosed.

    One line per (directorate, course) plus a total line, each as [on time, not on time,
    due]: due is the line's total, so suppressing through disclosure.suppress(totals=True)
    also protects a small count that could be found by subtraction from it, or from the
    column totals in the last line. A rate is shown only when its whole line is shown.
    """
    grid = [[_as_count(r["completed_on_time"]),
             _as_count(max((r["assigned_due"] or 0) - (r["completed_on_time"] or 0), 0)),
             _as_count(r["assigned_due"])] for r in rows]
    grid.append([sum(g[i] or 0 for g in grid) for i in range(3)])
    shown = disclosure.suppress(grid, totals=True)
    out = []
    labels = [(r["directorate_name"], r["course"]) for r in rows] + [("All directorates",
                                                                        "All courses")]
    for (dname, course), counts, cells in zip(labels, grid, shown, strict=True):
        hidden = disclosure.SUPPRESSED in cells
        rate = None
        if not hidden and counts[2]:
            rate = (Decimal(counts[0]) * 100 / counts[2]).quantize(Decimal("0.1"))
        out.append({"directorate_name": dname, "course": course, "completed_on_time": cells[0],
                    "not_completed_on_time": cells[1], "due": cells[2],
                    "completion_rate": disclosure.SUPPRESSED if hidden else (
                        "n/a" if rate is None else formatting.percent(rate))})
    return {"rows": out[:-1], "total": out[-1]}


def _training(conn, q_end, dirs) -> dict[str, Any]:
    rel = "marts.training_compliance"
    unavailable = {"available": False, "as_at_date": None, "rows": [], "total": None}
    if not _relation_exists(conn, rel):
        return unavailable
    visible = _visibility(conn, rel)
    as_at = fetch(conn, f"select max(as_at_date) as d from {rel} "
                        f"where {visible} and as_at_date <= %(e)s", {"e": q_end})[0]["d"]
    if as_at is None:
        return unavailable
    rows = fetch(conn, "select directorate_code, course, assigned_due, completed_on_time "
                       f"from {rel} where {visible} and as_at_date = %(d)s", {"d": as_at})
    for r in rows:
        r["directorate_name"] = dirs.get(r["directorate_code"], r["directorate_code"])
    rows.sort(key=lambda r: (r["directorate_name"].lower(), r["directorate_code"],
                             r["course"].lower()))
    return {"available": True, "as_at_date": as_at, **training_table(rows)}


# ---------------------------------------------------------------- build

def build(conn: psycopg.Connection, period: FiscalQuarter) -> tuple[dict, dict]:
    """(figures, lineage) for one quarter; every figure is as the public pack shows it."""
    fiscal_year, quarter = str(period.year), period.quarter
    q_start, q_end = quarter_start(fiscal_year, quarter), quarter_end(fiscal_year, quarter)
    dirs = directorate_names(conn)
    projects, project_shas = _projects(conn, q_end, dirs)
    indicators, indicator_shas = _indicators(conn, fiscal_year, quarter)
    contact = _contact(conn, fiscal_year, quarter)
    consultations, consultation_shas = _consultations(conn, q_start, q_end)
    training = _training(conn, q_end, dirs)

    figures = {
        "quarter": quarter, "quarter_start": q_start, "quarter_end": q_end,
        "projects": projects, "project_rags": list(PROJECT_RAGS),
        "indicators": indicators, "contact": contact, "consultations": consultations,
        "training": training,
        "disclosure": {
            "rule": "Counts of people from 1 to 4 are shown as <5. Another figure in the "
                    "same row or column is hidden too when it could give the first away. "
                    "Indicators measured in numbers count people.",
            "threshold": 5},
        "units": {"money": "GBP in full; negative with a leading minus",
                  "json": "money in GBP as stored in the marts; indicator values and "
                          "training counts as shown"},
    }
    used = {"marts.project_status": projects["available"],
            "marts.indicator_results": indicators["available"],
            "marts.contact_monthly": contact["available"],
            "marts.consultation_compliance": consultations["available"],
            "marts.training_compliance": training["available"]}
    shas = sorted(set(project_shas) | set(indicator_shas) | set(consultation_shas))
    # contact and training marts carry no file hash: their files are found by feed and
    # date, so a later file for a later day never changes an earlier quarter's lineage.
    file_ids = ["select f.file_id from ops.files f where f.outcome = 'loaded' "
                "and f.sha256 = any(%(shas)s)"]
    if contact["available"] and _relation_exists(conn, "raw.customer__contacts"):
        file_ids.append("select distinct _file_id from raw.customer__contacts "
                        "where _replaced_at is null and (received_at at time zone "
                        "'Europe/London')::date between %(year_start)s and %(q_end)s")
    if training["available"] and _relation_exists(conn, "raw.workforce__training"):
        file_ids.append("select distinct _file_id from raw.workforce__training "
                        "where _replaced_at is null and as_at_date <= %(q_end)s")
    year_start = FiscalYear.parse(fiscal_year).first_day
    source_files, quarantine = files(conn, " union ".join(file_ids),
                                     {"shas": shas, "year_start": year_start, "q_end": q_end})
    lineage = {"marts": [m for m, ok in used.items() if ok],
               "source_files": source_files, "quarantine": quarantine,
               "thresholds": {"council_name": council_name()}}
    return figures, lineage


def council_name() -> str:
    name = render.thresholds()["council_name"]
    # an unrendered dbt Jinja expression must never be printed as the council's name
    return render.DEFAULT_THRESHOLDS["council_name"] if "{{" in str(name) else name


# ---------------------------------------------------------------- template context

def context(figures: dict[str, Any]) -> dict[str, Any]:
    """The contact chart's geometry: contacts by channel, the year to the quarter end."""
    contact = figures["contact"]
    if not contact["available"]:
        return {"contact_chart": None}
    items = [(c["channel"].capitalize(), Decimal(c["contacts"]), f"{c['contacts']:,}")
             for c in contact["year_to_date"]]
    chart = charts.bar_chart(items)
    chart["title"] = f"Contacts by channel, April to the end of quarter {figures['quarter']}"
    chart["description"] = ("Bar chart of contacts by channel, largest shown longest. "
                            + "; ".join(f"{lab}: {disp}" for lab, _, disp in items) + ".")
    return {"contact_chart": chart}
