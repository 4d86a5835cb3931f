"""The quarterly pack for the scrutiny committee (public).

Sections: corporate projects and capital schemes; every public indicator for the quarter;
how we compare with the comparator councils on published figures (benchmarks.py, over
rpt_scrutiny__how_we_compare, ..._areas and ..._benchmark_files); customer contact by
channel; consultation compliance; mandatory training by directorate and course; data
quality, with the benchmark files and periods used. Every figure comes from the report models
(dbt/models/reports/scrutiny, `reports.rpt_scrutiny__*`), read here with plain selects;
this module applies disclosure control and shapes the rows for the template.

A section whose report rows are empty says so (the data is not yet available, and which
feed it waits for) instead of failing the pack.

Public, so (rules.md "Publication and disclosure control"): the report models leave out
rows marked not public, and visibility.public_only checks again; an indicator value that
counts people is hidden with secondary suppression within its year
(disclosure.suppress_by_year), as the Cabinet pack hides it; training counts are people,
disclosure-controlled with their totals (disclosure.suppress). Suppressed figures never
reach the JSON.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import psycopg

from onecouncil.calendar import FiscalPeriod, FiscalQuarter
from onecouncil.packs import benchmarks, charts, disclosure, formatting, lineage, thresholds
from onecouncil.packs.indicators import INDICATOR_COLUMNS, NO_TARGET, shown_indicator
from onecouncil.packs.rows import report_rows
from onecouncil.packs.sections import not_available

NAME = "scrutiny-quarterly"

# The ratings the pack names, worst first (rpt_scrutiny__projects_by_rag's order).
PROJECT_RAGS = ("Red", "Amber/Red", "Amber/Green", "Green")

# The landing feeds (contracts/sources.md) each section waits for when it has no rows.
WAITING_FOR = {
    "projects": ["finance/capital"],
    "indicators": ["performance/indicators", "performance/indicator_values"],
    "contact": ["customer/contacts"],
    "consultations": ["engagement/consultations"],
    "training": ["workforce/training"],
    "how_we_compare": list(benchmarks.FEEDS),
}

# The marts behind each section, listed in the lineage when the section is shown.
MARTS = {
    "projects": "marts.project_status",
    "indicators": "marts.indicator_results",
    "contact": "marts.contact_monthly",
    "consultations": "marts.consultation_compliance",
    "training": "marts.training_compliance",
    "how_we_compare": "marts.benchmark_comparison",
}

KEY = "where fiscal_year = %(fy)s and quarter = %(q)s"

PROJECT_COLUMNS = (
    "project_id, project_name, directorate_code, directorate_name, stage, is_capital, "
    "approved_budget, spend_to_date, forecast_outturn, cost_variance, cost_variance_pct, "
    "baseline_end_date, forecast_end_date, slippage_days, overall_rag")
CONSULTATION_COLUMNS = (
    "consultation_id, title, start_date, end_date, statutory, counting_days, "
    "includes_august, required_days, status, parishes_notified_date, "
    "parishes_notified_in_time")
TRAINING_COLUMNS = "completed_on_time, not_completed_on_time, due, completion_rate"


def _unavailable(section: str, **empty: Any) -> dict[str, Any]:
    return not_available(WAITING_FOR[section], **empty)


def _read(conn: psycopg.Connection, columns: str, model: str, key: dict[str, Any],
          order: str = "sort_order") -> list[dict[str, Any]]:
    return report_rows(conn, columns, model, KEY, key, order)


# ---------------------------------------------------------------- sections

def _projects(conn, key) -> dict[str, Any]:
    rows = _read(conn, f"as_at_date, {PROJECT_COLUMNS}", "rpt_scrutiny__projects", key)
    if not rows:
        return _unavailable("projects", as_at_date=None, rows=[], by_rag={})
    by_rag = _read(conn, "overall_rag, projects", "rpt_scrutiny__projects_by_rag", key)
    return {"available": True, "as_at_date": rows[0]["as_at_date"],
            "rows": [{k: v for k, v in r.items() if k != "as_at_date"} for r in rows],
            "by_rag": {r["overall_rag"]: r["projects"] for r in by_rag}}


def _indicators(conn, key) -> dict[str, Any]:
    rows = _read(conn, INDICATOR_COLUMNS, "rpt_scrutiny__indicators", key)
    if not rows:
        return _unavailable("indicators", rows=[], not_returned=[])
    # each shown row's year so far, in period order (rpt_scrutiny__indicator_year_values)
    years: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for v in _read(conn, "fiscal_year, indicator_id, period_type, value",
                   "rpt_scrutiny__indicator_year_values", key,
                   order="indicator_id, period_type, period_end"):
        years.setdefault((v["indicator_id"], v["period_type"]), []).append(v)
    shown = []
    for r in rows:
        # A count of people is hidden as the Cabinet pack hides it: the year's values are
        # one line, so a lone hidden quarter cannot be worked out from the year's total.
        hidden = disclosure.counts_people(r) and disclosure.suppress_by_year(
            years.get((r["indicator_id"], r["period_type"]), [r]), "value")[-1]
        s = shown_indicator(r, hidden)
        s["not_returned"] = r["rag"] == "Not returned"
        shown.append(s)
    not_returned = [{"indicator_id": r["indicator_id"], "indicator_name": r["indicator_name"],
                     "directorate_name": r["directorate_name"], "period": r["period"]}
                    for r in shown if r["not_returned"]]
    return {"available": True, "rows": shown, "not_returned": not_returned}


def _contact(conn, key, period: FiscalQuarter) -> dict[str, Any]:
    months = _read(conn, "period, month_start, contacts, phone_answer_rate, digital_share, "
                         "resolved_first_contact", "rpt_scrutiny__contact_months", key,
                   order="period")
    if not months:
        return _unavailable("contact", channels=[], months=[], year_to_date=[])
    cells = _read(conn, "period, channel, contacts", "rpt_scrutiny__contact_by_channel", key,
                  order="period, channel_order")
    year_to_date = _read(conn, "channel, contacts", "rpt_scrutiny__contact_year_to_date", key)
    by_month: dict[int, dict[str, int]] = {}
    for c in cells:
        by_month.setdefault(c["period"], {})[c["channel"]] = c["contacts"]
    channels = [r for r in year_to_date if r["channel"] != "all"]
    every = next(r["contacts"] for r in year_to_date if r["channel"] == "all")
    names = [c["channel"] for c in channels]
    return {
        "available": True, "channels": names,
        "months": [{"period": m["period"],
                    "month": FiscalPeriod(period.year, m["period"]).month_name,
                    "month_start": m["month_start"],
                    "contacts": {c: by_month.get(m["period"], {}).get(c, 0) for c in names},
                    "total": m["contacts"], "phone_answer_rate": m["phone_answer_rate"],
                    "digital_share": m["digital_share"],
                    "resolved_first_contact": m["resolved_first_contact"]} for m in months],
        "year_to_date": channels, "year_to_date_total": every}


def _consultations(conn, key) -> dict[str, Any]:
    by_status = _read(conn, "status, consultations", "rpt_scrutiny__consultations_by_status",
                      key)
    if not by_status:
        return _unavailable("consultations", rows=[])
    counts = {r["status"]: r["consultations"] for r in by_status}
    # responses are not in the model: a handful of respondents would be a small count of people.
    rows = _read(conn, CONSULTATION_COLUMNS, "rpt_scrutiny__consultations", key)
    return {"available": True, "rows": rows, "compliant": counts["compliant"],
            "too_short": counts["too short"], "statutory": counts["statutory"]}


def training_table(rows: list[dict[str, Any]], total: dict[str, Any]) -> dict[str, Any]:
    """Completed on time, not completed on time and due per directorate and course, disclosed.

    One line per (directorate, course) plus the council's total line, each as [on time,
    not on time, due]: due is the line's total, so suppressing through
    disclosure.suppress(totals=True) also protects a small count that could be found by
    subtraction from it, or from the column totals in the last line. A line's
    completion rate is shown only when its whole line is shown.
    """
    lines = [*rows, total]
    grid = [[disclosure.as_count(r["completed_on_time"]),
             disclosure.as_count(r["not_completed_on_time"]), disclosure.as_count(r["due"])]
            for r in lines]
    shown = disclosure.suppress(grid, totals=True)
    labels = [(r["directorate_name"], r["course"]) for r in rows] + [("All directorates",
                                                                        "All courses")]
    out = []
    for (dname, course), r, cells in zip(labels, lines, shown, strict=True):
        hidden = disclosure.SUPPRESSED in cells
        out.append({"directorate_name": dname, "course": course, "completed_on_time": cells[0],
                    "not_completed_on_time": cells[1], "due": cells[2],
                    "completion_rate": disclosure.SUPPRESSED if hidden else (
                        "n/a" if r["completion_rate"] is None
                        else formatting.percent(r["completion_rate"]))})
    return {"rows": out[:-1], "total": out[-1]}


def _training(conn, key) -> dict[str, Any]:
    rows = _read(conn, f"as_at_date, directorate_name, course, {TRAINING_COLUMNS}",
                 "rpt_scrutiny__training", key)
    total = _read(conn, TRAINING_COLUMNS, "rpt_scrutiny__training_council", key,
                  order="fiscal_year")
    if not rows or not total:
        return _unavailable("training", as_at_date=None, rows=[], total=None)
    return {"available": True, "as_at_date": rows[0]["as_at_date"],
            **training_table(rows, total[0])}


# ---------------------------------------------------------------- build

def build(conn: psycopg.Connection, period: FiscalQuarter) -> tuple[dict, dict]:
    """(figures, lineage) for one quarter; every figure is as the public pack shows it."""
    key = {"fy": str(period.year), "q": period.quarter}
    sections = {"projects": _projects(conn, key), "indicators": _indicators(conn, key),
                "contact": _contact(conn, key, period),
                "consultations": _consultations(conn, key), "training": _training(conn, key),
                "how_we_compare": benchmarks.how_we_compare(
                    conn, key, "rpt_scrutiny__how_we_compare",
                    "rpt_scrutiny__how_we_compare_areas", "rpt_scrutiny__benchmark_files")}
    figures = {
        "quarter": period.quarter, "quarter_start": period.first_day,
        "quarter_end": period.last_day, "project_rags": list(PROJECT_RAGS), **sections,
        "disclosure": {
            "rule": "Counts of people from 1 to 4 are shown as <5. Another figure in the "
                    "same row or column is hidden too when it could give the first away. "
                    "Indicators measured in numbers count people.",
            "threshold": 5},
        "units": {"money": "GBP in full; negative with a leading minus",
                  "json": "money in GBP as stored in the marts; indicator values and "
                          "training counts as shown"},
    }
    source_files, quarantine = lineage.sources(conn, NAME, period)
    limits = thresholds.thresholds(conn)
    return figures, {
        "marts": [MARTS[s] for s, section in sections.items() if section["available"]],
        "source_files": source_files, "quarantine": quarantine,
        "thresholds": thresholds.pick(limits, ("council_name",))}


# ---------------------------------------------------------------- template context

def context(figures: dict[str, Any]) -> dict[str, Any]:
    """The contact chart's geometry (contacts by channel, the year to the quarter end),
    and the words for a missing target."""
    contact = figures["contact"]
    compare = benchmarks.context(figures["how_we_compare"])
    if not contact["available"]:
        return {"contact_chart": None, "no_target": NO_TARGET, "compare": compare}
    items = [(c["channel"].capitalize(), Decimal(c["contacts"]), f"{c['contacts']:,}")
             for c in contact["year_to_date"]]
    chart = charts.bar_chart(items)
    chart["title"] = f"Contacts by channel, April to the end of quarter {figures['quarter']}"
    chart["description"] = ("Bar chart of contacts by channel, largest shown longest. "
                            + "; ".join(f"{lab}: {disp}" for lab, _, disp in items) + ".")
    return {"contact_chart": chart, "no_target": NO_TARGET, "compare": compare}
