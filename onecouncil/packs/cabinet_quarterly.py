"""The quarterly performance pack for Cabinet (public).

A thin presentation of its report models (dbt/models/reports/cabinet, schema `reports`):
Council Plan actions by priority, indicators by RAG per directorate and per priority,
every Red indicator with its commentary and an eight-quarter trend, the finance summary
at the quarter's last period, the corporate risk heat map and highest risks, and what
changed since last quarter. Every count, total, ordering, snapshot choice and "last
eight" is worked out in those models; this module reads their rows for the quarter,
applies disclosure control and shapes them for the template.

Public, so (rules.md "Publication and disclosure control"):
- the report models hold only indicators with `is_public`, and visibility.public_only
  checks the rows again as they are read;
- counts of people are disclosure-controlled, here, at render time, on the report rows.
  The definitions carry no "counts people" flag, so the rule is deliberately simple and
  errs towards hiding: the value of every indicator whose unit is `number`, and the
  numerator and denominator of every `ratio` indicator, are treated as counts of people.
  A value from 1 to 4 is shown as `<5`, with secondary suppression (disclosure.suppress)
  within the same fiscal year's quarters, because a year-to-date or annual figure
  published elsewhere would give a lone hidden quarter away by subtraction. Suppressed
  figures never reach the JSON.

A section whose report rows are not there yet (no indicator, plan, finance or risk data
for the quarter) says so and names the feeds it waits for; `build` never fails for it.

The relations each section reads (the dbt exposure's depends_on):
- summary, indicators: reports.rpt_cabinet__indicators,
  reports.rpt_cabinet__indicators_by_directorate, reports.rpt_cabinet__indicators_by_priority
- Red indicators: reports.rpt_cabinet__indicators, reports.rpt_cabinet__red_indicator_trends
- what changed: reports.rpt_cabinet__rag_changes (and rpt_cabinet__indicators, for whether
  the previous quarter has figures)
- Council Plan actions: reports.rpt_cabinet__plan_actions_by_priority
- finance: reports.rpt_cabinet__finance_summary; unmapped lines: marts.finance_unmapped_lines
- corporate risks: reports.rpt_cabinet__risk_heat_map, reports.rpt_cabinet__highest_risks,
  reports.rpt_cabinet__open_risks_by_rating
- how we compare: reports.rpt_cabinet__how_we_compare, rpt_cabinet__how_we_compare_areas
  and rpt_cabinet__benchmark_files (benchmarks.how_we_compare); a Red indicator linked to
  a benchmark (benchmark/indicators) names its entries
- data quality: reports.pack_sources, reports.pack_quarantine (lineage.sources) and
  reports.pack_thresholds (thresholds.thresholds); the benchmark files and periods used
"""

from __future__ import annotations

from typing import Any

import psycopg

from onecouncil.calendar import FiscalQuarter
from onecouncil.packs import (benchmarks, charts, disclosure, indicators, lineage, thresholds,
                              visibility)
from onecouncil.packs.formatting import number_in
from onecouncil.packs.rows import fetch
from onecouncil.packs.sections import not_available

NAME = "cabinet-quarterly"
MARTS = ("marts.indicator_results", "marts.plan_action_progress",
         "marts.finance_outturn_council", "marts.finance_outturn_directorate",
         "marts.finance_unmapped_lines", "marts.risk_register", "marts.benchmark_comparison")
THRESHOLD_KEYS = ("rag_amber_above_pct", "rag_red_above_pct", "zero_budget_red_above",
                  "council_name", "risk_medium_from", "risk_high_from", "risk_very_high_from")

# The feeds (landing folders) each section waits for when its rows are not there yet.
INDICATOR_FEEDS = ("performance/indicators", "performance/indicator_values")
PLAN_FEEDS = ("performance/plan_actions",)
FINANCE_FEEDS = ("finance/ledger", "finance/budget", "finance/forecast")
RISK_FEEDS = ("risk/register",)

ACTION_STATUSES = ("complete", "on track", "at risk", "off track", "not started", "overdue")
# report model column of each RAG and action status
RAG_COLUMNS = {"Red": "red", "Amber": "amber", "Green": "green", "Data only": "data_only",
               "Not returned": "not_returned"}
STATUS_COLUMNS = {s: s.replace(" ", "_") for s in ACTION_STATUSES}
FINANCE_COLUMNS = ("current_budget", "actual_ytd", "forecast_outturn", "variance",
                   "variance_pct", "rag", "movement")
RISK_COLUMNS = ("risk_id", "risk_title", "category", "current_likelihood", "current_impact",
                "current_score", "target_score", "rating", "above_appetite", "movement",
                "previous_score")
# The trend rows carry the point's own fiscal year and quarter beside the pack's.
TREND_COLUMNS = (
    "indicator_id, point_fiscal_year as fiscal_year, period_type, period_end, "
    "point_quarter as quarter, indicator_name, directorate_code, directorate_name, "
    "council_plan_priority, unit, polarity, aggregation, decimals, value, numerator, "
    "denominator, target, rag, direction_of_travel, is_provisional, is_public, sha256")
WHERE = "where fiscal_year = %(fy)s and quarter = %(q)s"


# ---------------------------------------------------------------- report rows

def _rows(conn: psycopg.Connection, relation: str, columns: str, key: dict[str, Any],
          order: str = "sort_order") -> list[dict[str, Any]]:
    """A report model's rows for the quarter, in its order; visibility checked again."""
    return visibility.public_only(fetch(
        conn, f"select {columns} from {relation} {WHERE} order by {order}", key))


def _rag_lines(conn: psycopg.Connection, relation: str, key: dict[str, Any]
               ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(lines, total line) of an indicators-by-RAG report model, in its order."""
    lines, total = [], {"name": "All indicators", "counts": dict.fromkeys(indicators.RAGS, 0),
                        "total": 0}
    for r in _rows(conn, relation, "name, is_total, total, " + ", ".join(RAG_COLUMNS.values()),
                   key):
        line = {"name": r["name"], "counts": {rag: r[col] for rag, col in RAG_COLUMNS.items()},
                "total": r["total"]}
        if r["is_total"]:
            total = line
        else:
            lines.append(line)
    return lines, total


def _trend(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A Red indicator's trend points (the report rows, oldest first), disclosed."""
    people_value = bool(rows) and disclosure.counts_people(rows[-1])
    ratio = bool(rows) and rows[-1]["aggregation"] == "ratio"
    hide_value = (disclosure.suppress_by_year(rows, "value") if people_value
                  else [False] * len(rows))
    # numerator and denominator go through suppress() together: each can be worked out
    # from the other and the published percentage.
    fractions: list[list[str]] = []
    if ratio:
        grid = [[disclosure.as_count(r["numerator"]), disclosure.as_count(r["denominator"])]
                for r in rows]
        by_year: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            by_year.setdefault(r["fiscal_year"], []).append(i)
        fractions = [["", ""] for _ in rows]
        for idx in by_year.values():
            shown = disclosure.suppress([grid[i] for i in idx])
            for i, cells in zip(idx, shown, strict=True):
                fractions[i] = cells
    points = []
    for i, r in enumerate(rows):
        p = indicators.shown_indicator(r, hide_value[i])
        for k in ("indicator_name", "directorate_name", "council_plan_priority",
                  "directorate_code", "unit", "polarity"):
            p.pop(k)
        if ratio:
            p["numerator"], p["denominator"] = fractions[i]
        points.append(p)
    return {"points": points, "has_fraction": ratio,
            "annual": bool(rows) and rows[-1]["period_type"] == "year"}


# ---------------------------------------------------------------- build

def build(conn: psycopg.Connection, period: FiscalQuarter) -> tuple[dict, dict]:
    """(figures, lineage) for one quarter; every figure is as the public pack shows it."""
    previous = period.previous()
    key = {"fy": str(period.year), "q": period.quarter}
    prev_key = {"fy": str(previous.year), "q": previous.quarter}
    last_period = period.periods[-1].period

    # ---- indicators: the rows listed, counts by RAG
    current = _rows(conn, "reports.rpt_cabinet__indicators",
                    indicators.INDICATOR_COLUMNS + ", listed_provisional", key)
    previous_rows = fetch(
        conn, f"select indicator_id from reports.rpt_cabinet__indicators {WHERE} "
              "and period_type = 'quarter' limit 1", prev_key)
    by_directorate, directorate_total = _rag_lines(
        conn, "reports.rpt_cabinet__indicators_by_directorate", key)
    by_priority, priority_total = _rag_lines(
        conn, "reports.rpt_cabinet__indicators_by_priority", key)

    # ---- how we compare: the benchmarks, read before the Red indicators that link to them
    compare = benchmarks.how_we_compare(conn, key, "rpt_cabinet__how_we_compare",
                                        "rpt_cabinet__how_we_compare_areas",
                                        "rpt_cabinet__benchmark_files")

    # ---- Red indicators, each with its trend
    trends: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in _rows(conn, "reports.rpt_cabinet__red_indicator_trends", TREND_COLUMNS, key,
                   order="red_sort_order, point_order"):
        trends.setdefault((r["indicator_id"], r["period_type"]), []).append(r)
    red_indicators = []
    for r in (r for r in current if r["rag"] == "Red"):
        trend = _trend(trends.get((r["indicator_id"], r["period_type"]), [r]))
        shown = indicators.shown_indicator(r, trend["points"][-1]["value_suppressed"])
        shown["commentary"] = r["commentary"]
        shown["trend"] = trend
        shown["chart_id"] = f"trend-{len(red_indicators) + 1}"
        shown["benchmarks"] = [e["chart_id"] for e in benchmarks.linked(compare, r["indicator_id"])]
        red_indicators.append(shown)

    # Listed by name and RAG only: values appear in the Red list, where they are disclosed.
    not_returned = [indicators.named(r) for r in current if r["rag"] == "Not returned"]
    provisional = [indicators.named(r) for r in current if r["listed_provisional"]]
    changes = [{**indicators.named(r), "from": r["previous_rag"]} for r in _rows(
        conn, "reports.rpt_cabinet__rag_changes",
        "indicator_id, fiscal_year, quarter, period_type, indicator_name, directorate_name, "
        "council_plan_priority, rag, is_provisional, previous_rag", key)]

    # ---- Council Plan actions
    plan, plan_total = [], {"priority": "All priorities",
                            "counts": dict.fromkeys(ACTION_STATUSES, 0), "total": 0}
    for r in _rows(conn, "reports.rpt_cabinet__plan_actions_by_priority",
                   "priority, is_total, total, " + ", ".join(STATUS_COLUMNS.values()), key):
        line = {"priority": r["priority"],
                "counts": {s: r[col] for s, col in STATUS_COLUMNS.items()}, "total": r["total"]}
        if r["is_total"]:
            plan_total = line
        else:
            plan.append(line)

    # ---- finance at the quarter's last period
    lines = _rows(conn, "reports.rpt_cabinet__finance_summary",
                  "is_total, period_end, directorate_code, directorate_name, "
                  + ", ".join(FINANCE_COLUMNS), key)
    council = [{"period_end": r["period_end"], **{c: r[c] for c in FINANCE_COLUMNS}}
               for r in lines if r["is_total"]]
    directorates = [{"directorate_code": r["directorate_code"],
                     "directorate_name": r["directorate_name"],
                     **{c: r[c] for c in FINANCE_COLUMNS}} for r in lines if not r["is_total"]]
    finance = {"available": bool(council), "period": last_period,
               "council": council[0] if council else None, "directorates": directorates}
    if not council:
        finance.update(not_available(FINANCE_FEEDS))
    unmapped = fetch(
        conn, "select source, cost_centre, account_code, reason, lines, amount "
              "from marts.finance_unmapped_lines where fiscal_year = %(fy)s and period = %(p)s "
              "order by source, cost_centre nulls first, account_code nulls first, reason",
        {**key, "p": last_period})

    # ---- corporate risks at the register's latest snapshot by the quarter's end
    risk = _risks(conn, key)

    figures = {
        "quarter": period.quarter,
        "quarter_end": period.last_day,
        "previous_quarter": indicators.quarter_label(str(previous.year), previous.quarter,
                                                     "quarter"),
        "previous_available": bool(previous_rows),
        "plan_statuses": list(ACTION_STATUSES),
        "plan_actions": plan,
        "plan_actions_total": plan_total,
        "rags": list(indicators.RAGS),
        "indicators_reported": directorate_total["total"],
        "indicators_by_directorate": by_directorate,
        "indicators_by_directorate_total": directorate_total,
        "indicators_by_priority": by_priority,
        "indicators_by_priority_total": priority_total,
        "red_indicators": red_indicators,
        "not_returned": not_returned,
        "provisional": provisional,
        "changes": changes,
        "finance": finance,
        "risk": risk,
        "how_we_compare": compare,
        "unmapped_lines": unmapped,
        "disclosure": {
            "rule": "Values of indicators measured in numbers, and the numerators and "
                    "denominators of percentage indicators, are treated as counts of people: "
                    "1 to 4 is shown as <5, and another figure of the same year is hidden "
                    "too when it could give the first away.",
            "threshold": 5},
        "units": {"finance": "GBP thousands, 1 decimal place; negative with a leading minus",
                  "json": "finance in GBP as stored in the marts; indicator values as shown"},
    }
    # Sections with no rows yet: present only then, so a quarter with every feed in
    # renders the same JSON as before the report models.
    if not current:
        figures["indicators"] = not_available(INDICATOR_FEEDS)
    if not plan:
        figures["actions"] = not_available(PLAN_FEEDS)

    source_files, quarantine = lineage.sources(conn, NAME, period)
    limits = thresholds.thresholds(conn)
    return figures, {
        "marts": [m for m in MARTS if (m != "marts.risk_register" or risk["available"])
                  and (m != "marts.benchmark_comparison" or compare["available"])],
        "source_files": source_files,
        "quarantine": quarantine,
        "thresholds": thresholds.pick(limits, THRESHOLD_KEYS),
    }


def _risks(conn: psycopg.Connection, key: dict[str, Any]) -> dict[str, Any]:
    cells = _rows(conn, "reports.rpt_cabinet__risk_heat_map",
                  "snapshot_date, likelihood, impact, score, rating, risk_count, risk_ids", key,
                  order="likelihood desc, impact")
    if not cells:
        return {"available": False, "snapshot_date": None, "heat_map": [], "open_risks": 0,
                "highest": [], **not_available(RISK_FEEDS)}
    # The shape macros.html's risk_heat_map takes, so both risk packs draw the same grid:
    # likelihood 5 at the top, impact 1 on the left, the way a heat map is usually read.
    heat_map: list[dict[str, Any]] = []
    for c in cells:
        if not heat_map or heat_map[-1]["likelihood"] != c["likelihood"]:
            heat_map.append({"likelihood": c["likelihood"], "cells": []})
        heat_map[-1]["cells"].append({"likelihood": c["likelihood"], "impact": c["impact"],
                                      "score": c["score"], "rating": c["rating"],
                                      "count": c["risk_count"], "risk_ids": c["risk_ids"]})
    highest = _rows(conn, "reports.rpt_cabinet__highest_risks", ", ".join(RISK_COLUMNS), key)
    by_rating = _rows(conn, "reports.rpt_cabinet__open_risks_by_rating",
                      "rating, is_total, risk_count", key)
    return {"available": True, "snapshot_date": cells[0]["snapshot_date"], "heat_map": heat_map,
            "open_risks": next(r["risk_count"] for r in by_rating if r["is_total"]),
            "by_rating": {r["rating"]: r["risk_count"] for r in by_rating if not r["is_total"]},
            "highest": highest}


# ---------------------------------------------------------------- template context

def context(figures: dict[str, Any]) -> dict[str, Any]:
    """Each Red indicator's chart geometry, rebuilt from the (already disclosed) figures."""
    drawn = {}
    for ind in figures["red_indicators"]:
        items = []
        for p in ind["trend"]["points"]:
            plotted = None
            if not p["value_suppressed"] and p["rag"] != "Not returned" and p["value"]:
                plotted = number_in(p["value"])
            display = p["value"] or ("Not returned" if p["rag"] == "Not returned"
                                     else "No value")
            items.append((p["period"], plotted, display))
        chart = charts.line_chart(items)
        span = "years" if ind["trend"]["annual"] else "quarters"
        chart["title"] = f"{ind['indicator_name']}: last {len(items)} {span}"
        chart["description"] = (
            f"Line chart of {ind['indicator_name']} over the last {len(items)} {span}, oldest "
            "first. The vertical scale does not start at zero; gaps are figures not shown. "
            + "; ".join(f"{pt['label']}: {pt['display']}" for pt in chart["points"]) + ".")
        drawn[ind["chart_id"]] = chart
    return {"charts": drawn, "no_target": indicators.NO_TARGET,
            "compare": benchmarks.context(figures["how_we_compare"])}
