"""The quarterly performance pack for Cabinet (public).

Reads the indicator and Council Plan marts (docs/performance-marts.md), the finance
marts at the quarter's last period (docs/finance-marts.md) and, once it exists, the
risk register (docs/risk-audit-marts.md). The pack shows Council Plan actions by
priority, indicators by RAG per directorate and per priority, every Red indicator
with its commentary and an eight-quarter trend, the finance summary, the corporate
risk heat map and highest risks, and what changed since last quarter.

Public, so (rules.md "Publication and disclosure control"):
- only indicators with `is_public`, and no row of any relation that says it is not
  public or is restricted;
- counts of people are disclosure-controlled. The definitions carry no "counts people"
  flag, so the rule is deliberately simple and errs towards hiding: the value of every
  indicator whose unit is `number`, and the numerator and denominator of every `ratio`
  indicator, are treated as counts of people. A value from 1 to 4 is shown as `<5`,
  with secondary suppression (disclosure.suppress) within the same fiscal year's
  quarters, because a year-to-date or annual figure published elsewhere would give a
  lone hidden quarter away by subtraction. Suppressed figures never reach the JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import psycopg

from onecouncil.calendar import FiscalQuarter, FiscalYear
from onecouncil.packs import charts, disclosure, finance_outturn, render
from onecouncil.packs.risk_bands import rating, risk_bands
from onecouncil.packs.lineage import fetch, files

NAME = "cabinet-quarterly"
TITLE = "Cabinet quarterly performance report"
PUBLIC = True
TEMPLATE = "cabinet-quarterly.html"
MARTS = ("marts.indicator_results", "marts.plan_action_progress",
         "marts.finance_outturn_council", "marts.finance_outturn_directorate",
         "marts.finance_unmapped_lines", "marts.risk_register")
THRESHOLD_KEYS = ("rag_amber_above_pct", "rag_red_above_pct", "zero_budget_red_above",
                  "council_name")

RAGS = ("Red", "Amber", "Green", "Data only", "Not returned")
ACTION_STATUSES = ("complete", "on track", "at risk", "off track", "not started", "overdue")
NO_PRIORITY = "No Council Plan priority"
TREND_POINTS = 8
HIGHEST_RATINGS = ("Very high", "High")
UNMAPPED_LAST = finance_outturn.UNMAPPED_LAST

INDICATOR_COLUMNS = (
    "indicator_id, fiscal_year, period_type, period_end, quarter, indicator_name, "
    "directorate_code, directorate_name, council_plan_priority, frequency, unit, polarity, "
    "aggregation, decimals, value, numerator, denominator, target, tolerance, rag, "
    "direction_of_travel, is_provisional, is_public, commentary, sha256")


# ---------------------------------------------------------------- calendar

def quarter_end(fiscal_year: str, quarter: int) -> dt.date:
    return FiscalQuarter(FiscalYear.parse(fiscal_year), quarter).last_day


def previous_quarter(fiscal_year: str, quarter: int) -> tuple[str, int]:
    if quarter > 1:
        return fiscal_year, quarter - 1
    start = int(fiscal_year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}", 4


def quarter_label(fiscal_year: str, quarter: int | None, period_type: str) -> str:
    """'Q2 2025-26' for a quarter, '2025-26' for a year row."""
    return fiscal_year if period_type == "year" or quarter is None else f"Q{quarter} {fiscal_year}"


# ---------------------------------------------------------------- helpers

def _relation_exists(conn: psycopg.Connection, relation: str) -> bool:
    return fetch(conn, "select to_regclass(%(r)s) is not null as present",
                 {"r": relation})[0]["present"]


def _visibility(conn: psycopg.Connection, relation: str) -> str:
    """SQL that keeps out rows a relation marks not public or restricted, if it can.

    Not every mart carries such a column today (the plan and risk marts do not), but an
    input that later marks a row `is_public = N` or `restricted = Y` must still never
    reach a public pack, whichever name the column is given.
    """
    schema, table = relation.split(".")
    cols = {r["column_name"] for r in fetch(
        conn, "select column_name from information_schema.columns "
              "where table_schema = %(s)s and table_name = %(t)s", {"s": schema, "t": table})}
    parts = [f"{c} is true" for c in ("is_public",) if c in cols]
    parts += [f"{c} is not true" for c in ("restricted", "is_restricted") if c in cols]
    return " and ".join(parts) or "true"


def _fmt(value: Any, decimals: int | None, unit: str | None) -> str:
    """An indicator value as the council writes it: 85.0%, £1,234, 12 days, 1,234."""
    if value is None:
        return ""
    places = int(decimals or 0)
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    text = f"{q:,.{places}f}"
    if unit == "%":
        return text + "%"
    if unit == "£":
        return ("-£" + text[1:]) if text.startswith("-") else "£" + text
    if unit == "days":
        return text + (" day" if q == 1 else " days")
    return text


def _as_count(value: Any) -> int | None:
    """A value as disclosure.suppress_mask's whole-number grid needs it.

    Anything above 0 and below 5 (a monthly mean of 0.5 or 4.5 people) stays within 1-4,
    so it is suppressed like a whole count; a negative number cannot be a count of people
    and is left out (None).
    """
    if value is None:
        return None
    d = Decimal(str(value))
    if d < 0:
        return None
    if 0 < d < 5:
        return max(1, min(4, int(d)))
    return int(d)


def suppress_by_year(rows: Sequence[dict[str, Any]], field: str) -> list[bool]:
    """Which of `rows`' `field` to hide, with secondary suppression within each fiscal year."""
    hidden = [False] * len(rows)
    years: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        years.setdefault(r["fiscal_year"], []).append(i)
    for idx in years.values():
        mask = disclosure.suppress_mask([[_as_count(rows[i][field]) for i in idx]])[0]
        for i, m in zip(idx, mask, strict=True):
            hidden[i] = m
    return hidden


def counts_people(ind: dict[str, Any]) -> bool:
    return ind["unit"] == "number"


def _rag_grid(rows: Iterable[dict[str, Any]], key: str,
              none_label: str | None = None) -> list[dict[str, Any]]:
    """Indicators counted by RAG for each value of `key`, names in order, `none_label` last."""
    groups: dict[str, dict[str, int]] = {}
    for r in rows:
        name = r[key] if r[key] is not None else none_label
        g = groups.setdefault(name, dict.fromkeys(RAGS, 0))
        g[r["rag"]] = g.get(r["rag"], 0) + 1
    names = sorted((n for n in groups if n != none_label), key=lambda n: n.lower())
    if none_label in groups:
        names.append(none_label)
    out = []
    for n in names:
        g = groups.get(n, dict.fromkeys(RAGS, 0))
        out.append({"name": n, "counts": {k: g.get(k, 0) for k in RAGS},
                    "total": sum(g.values())})
    return out


def _total(grid: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": "All indicators", "counts": {k: sum(g["counts"][k] for g in grid)
                                                 for k in RAGS},
            "total": sum(g["total"] for g in grid)}


# ---------------------------------------------------------------- indicators

def _shown_indicator(r: dict[str, Any], value_hidden: bool = False) -> dict[str, Any]:
    """The fields of one indicator row a public pack may show, values already formatted."""
    value = disclosure.SUPPRESSED if value_hidden else _fmt(r["value"], r["decimals"], r["unit"])
    return {
        "indicator_id": r["indicator_id"], "indicator_name": r["indicator_name"],
        "directorate_code": r["directorate_code"], "directorate_name": r["directorate_name"],
        "council_plan_priority": r["council_plan_priority"],
        "period": quarter_label(r["fiscal_year"], r["quarter"], r["period_type"]),
        "period_end": r["period_end"], "unit": r["unit"], "polarity": r["polarity"],
        "value": value, "value_suppressed": value_hidden,
        "target": _fmt(r["target"], r["decimals"], r["unit"]),
        "rag": r["rag"], "direction_of_travel": r["direction_of_travel"],
        "is_provisional": bool(r["is_provisional"]),
    }


def _named(r: dict[str, Any]) -> dict[str, Any]:
    return {"indicator_id": r["indicator_id"], "indicator_name": r["indicator_name"],
            "directorate_name": r["directorate_name"],
            "council_plan_priority": r["council_plan_priority"],
            "period": quarter_label(r["fiscal_year"], r["quarter"], r["period_type"]),
            "rag": r["rag"], "is_provisional": bool(r["is_provisional"])}


def _trend(history: list[dict[str, Any]]) -> dict[str, Any]:
    """The last eight quarters (years, for an annual indicator), oldest first, disclosed."""
    rows = history[-TREND_POINTS:]
    people_value = bool(rows) and counts_people(rows[-1])
    ratio = bool(rows) and rows[-1]["aggregation"] == "ratio"
    hide_value = suppress_by_year(rows, "value") if people_value else [False] * len(rows)
    # numerator and denominator go through suppress() together: each can be worked out
    # from the other and the published percentage.
    fractions: list[list[str]] = []
    if ratio:
        grid = [[_as_count(r["numerator"]), _as_count(r["denominator"])] for r in rows]
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
        p = _shown_indicator(r, hide_value[i])
        p.pop("indicator_name"), p.pop("directorate_name"), p.pop("council_plan_priority")
        p.pop("directorate_code"), p.pop("unit"), p.pop("polarity")
        if ratio:
            p["numerator"], p["denominator"] = fractions[i]
        points.append(p)
    return {"points": points, "has_fraction": ratio,
            "annual": bool(rows) and rows[-1]["period_type"] == "year"}


# ---------------------------------------------------------------- build

def build(conn: psycopg.Connection, period: FiscalQuarter) -> tuple[dict, dict]:
    """(figures, lineage) for one quarter; every figure is as the public pack shows it."""
    fiscal_year, quarter = str(period.year), period.quarter
    q_end = period.last_day
    prev_fy, prev_q = str(period.previous().year), period.previous().quarter
    params = {"fy": fiscal_year, "q": quarter, "q_end": q_end, "prev_fy": prev_fy,
              "prev_q": prev_q, "p": quarter * 3}
    # is_public is part of the indicator mart's contract: named outright, so a mart built
    # without it fails here rather than publishing everything.
    public = "is_public is true and " + _visibility(conn, "marts.indicator_results")
    # In Q4 the annual indicators' year rows are reported beside the quarter rows.
    current = fetch(
        conn, f"select {INDICATOR_COLUMNS} from marts.indicator_results "
              f"where {public} and fiscal_year = %(fy)s and ((period_type = 'quarter' "
              "and quarter = %(q)s) or (%(q)s = 4 and period_type = 'year')) "
              "order by directorate_name, directorate_code, indicator_name, indicator_id, "
              "period_type", params)
    if not current:
        raise LookupError(f"marts.indicator_results has no public indicator for {fiscal_year} "
                          f"quarter {quarter}: has the transform run for it?")
    previous = {r["indicator_id"]: r for r in fetch(
        conn, f"select {INDICATOR_COLUMNS} from marts.indicator_results "
              f"where {public} and period_type = 'quarter' and fiscal_year = %(prev_fy)s "
              "and quarter = %(prev_q)s", params)}

    # ---- indicators: counts by RAG
    by_directorate = _rag_grid(current, "directorate_name")
    by_priority = _rag_grid(current, "council_plan_priority", none_label=NO_PRIORITY)

    # ---- Red indicators, each with its trend
    reds = [r for r in current if r["rag"] == "Red"]
    history: dict[str, list[dict[str, Any]]] = {}
    if reds:
        for r in fetch(
                conn, f"select {INDICATOR_COLUMNS} from marts.indicator_results "
                      f"where {public} and indicator_id = any(%(ids)s) "
                      "and period_type = any(%(types)s) and period_end <= %(q_end)s "
                      "order by indicator_id, period_type, period_end",
                {**params, "ids": [r["indicator_id"] for r in reds],
                 "types": sorted({r["period_type"] for r in reds})}):
            history.setdefault((r["indicator_id"], r["period_type"]), []).append(r)
    red_indicators, trend_rows = [], []
    for r in reds:
        rows = history.get((r["indicator_id"], r["period_type"]), [r])
        trend_rows += rows[-TREND_POINTS:]
        trend = _trend(rows)
        shown = _shown_indicator(r, trend["points"][-1]["value_suppressed"])
        shown["commentary"] = r["commentary"]
        shown["trend"] = trend
        shown["chart_id"] = f"trend-{len(red_indicators) + 1}"
        red_indicators.append(shown)

    # Listed by name and RAG only: values appear in the Red list, where they are disclosed.
    not_returned = [_named(r) for r in current if r["rag"] == "Not returned"]
    provisional = [_named(r) for r in current
                   if r["is_provisional"] and r["rag"] != "Not returned"]
    changes = []
    for r in current:
        before = previous.get(r["indicator_id"])
        if r["period_type"] == "quarter" and before and before["rag"] != r["rag"]:
            changes.append({**_named(r), "from": before["rag"]})

    # ---- Council Plan actions
    plan_public = _visibility(conn, "marts.plan_action_progress")
    actions = fetch(
        conn, "select priority, reported_status, count(*) as actions, "
              "array_agg(distinct sha256) filter (where sha256 is not null) as shas "
              f"from marts.plan_action_progress where {plan_public} "
              "and fiscal_year = %(fy)s and quarter = %(q)s "
              "group by priority, reported_status order by priority, reported_status", params)
    statuses = list(ACTION_STATUSES) + sorted(
        {a["reported_status"] for a in actions} - set(ACTION_STATUSES))
    priorities = sorted({a["priority"] for a in actions}, key=lambda p: p.lower())
    plan = []
    for p in priorities:
        counts = {s: 0 for s in statuses}
        for a in actions:
            if a["priority"] == p:
                counts[a["reported_status"]] += a["actions"]
        plan.append({"priority": p, "counts": counts, "total": sum(counts.values())})
    plan_total = {"priority": "All priorities",
                  "counts": {s: sum(p["counts"][s] for p in plan) for s in statuses},
                  "total": sum(p["total"] for p in plan)}
    plan_shas = sorted({s for a in actions for s in (a["shas"] or [])})

    # ---- finance at the quarter's last period
    cols = "current_budget, actual_ytd, forecast_outturn, variance, variance_pct, rag, movement"
    council = fetch(conn, f"select period_end, {cols} from marts.finance_outturn_council "
                          "where fiscal_year = %(fy)s and period = %(p)s", params)
    directorates = fetch(
        conn, f"select directorate_code, directorate_name, {cols} "
              "from marts.finance_outturn_directorate where fiscal_year = %(fy)s "
              f"and period = %(p)s order by {UNMAPPED_LAST.format(col='directorate_code')}, "
              "directorate_name, directorate_code", params)
    unmapped = fetch(
        conn, "select source, cost_centre, account_code, reason, lines, amount "
              "from marts.finance_unmapped_lines where fiscal_year = %(fy)s and period = %(p)s "
              "order by source, cost_centre nulls first, account_code nulls first, reason",
        params)
    finance = {"available": bool(council), "period": quarter * 3,
               "council": council[0] if council else None, "directorates": directorates}

    # ---- corporate risks, once the register mart exists and covers the quarter
    risk, risk_shas = _risks(conn, q_end)

    figures = {
        "quarter": quarter,
        "quarter_end": q_end,
        "previous_quarter": quarter_label(prev_fy, prev_q, "quarter"),
        "previous_available": bool(previous),
        "plan_statuses": statuses,
        "plan_actions": plan,
        "plan_actions_total": plan_total,
        "rags": list(RAGS),
        "indicators_reported": len(current),
        "indicators_by_directorate": by_directorate,
        "indicators_by_directorate_total": _total(by_directorate),
        "indicators_by_priority": by_priority,
        "indicators_by_priority_total": _total(by_priority),
        "red_indicators": red_indicators,
        "not_returned": not_returned,
        "provisional": provisional,
        "changes": changes,
        "finance": finance,
        "risk": risk,
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

    shas = sorted({r["sha256"] for r in [*current, *previous.values(), *trend_rows]
                   if r["sha256"]} | set(plan_shas) | set(risk_shas))
    file_ids = (
        "select f.file_id from ops.files f where f.outcome = 'loaded' "
        "and f.sha256 = any(%(shas)s) "
        "union select _file_id from raw.performance__indicators where _replaced_at is null "
        + ("union " + finance_outturn.SOURCE_FILE_IDS if council else ""))
    source_files, quarantine = files(conn, file_ids, {**params, "shas": shas})
    limits = render.thresholds()
    if "{{" in str(limits["council_name"]):
        # dbt_project.yml holds a Jinja env_var() call for the name, which only dbt can
        # evaluate; a public pack must not print the template text as the council's name.
        limits["council_name"] = render.DEFAULT_THRESHOLDS["council_name"]
    lineage = {
        "marts": [m for m in MARTS if m != "marts.risk_register" or risk["available"]],
        "source_files": source_files,
        "quarantine": quarantine,
        "thresholds": {**{k: limits[k] for k in THRESHOLD_KEYS}, **risk_bands()},
    }
    return figures, lineage


# ---------------------------------------------------------------- risk

def _risks(conn: psycopg.Connection, q_end: dt.date) -> tuple[dict[str, Any], list[str]]:
    unavailable = {"available": False, "snapshot_date": None, "heat_map": [],
                   "open_risks": 0, "highest": []}
    if not _relation_exists(conn, "marts.risk_register"):
        return unavailable, []
    snapshot = fetch(conn, "select max(snapshot_date) as d from marts.risk_register "
                           "where snapshot_date <= %(q_end)s", {"q_end": q_end})[0]["d"]
    if snapshot is None:
        return unavailable, []
    visible = _visibility(conn, "marts.risk_register")
    risks = fetch(
        conn, "select risk_id, risk_title, category, current_likelihood, current_impact, "
              "current_score, target_score, rating, above_appetite, movement, previous_score, "
              "sha256 from marts.risk_register "
              f"where {visible} and snapshot_date = %(d)s and register = 'corporate' "
              "and status = 'open' order by current_score desc, risk_id", {"d": snapshot})
    bands = risk_bands()
    # The shape macros.html's risk_heat_map takes, so both risk packs draw the same grid:
    # likelihood 5 at the top, impact 1 on the left, the way a heat map is usually read.
    heat_map = []
    for lk in range(5, 0, -1):
        cells = []
        for im in range(1, 6):
            ids = [r["risk_id"] for r in risks
                   if (r["current_likelihood"], r["current_impact"]) == (lk, im)]
            cells.append({"likelihood": lk, "impact": im, "score": lk * im,
                          "rating": rating(lk * im, bands), "count": len(ids),
                          "risk_ids": sorted(ids)})
        heat_map.append({"likelihood": lk, "cells": cells})
    highest = [{k: r[k] for k in ("risk_id", "risk_title", "category", "current_likelihood",
                                  "current_impact", "current_score", "target_score", "rating",
                                  "above_appetite", "movement", "previous_score")}
               for r in risks if r["rating"] in HIGHEST_RATINGS]
    by_rating = {name: sum(1 for r in risks if r["rating"] == name)
                 for name in ("Very high", "High", "Medium", "Low")}
    shas = sorted({r["sha256"] for r in risks if r["sha256"]})
    return {"available": True, "snapshot_date": snapshot, "heat_map": heat_map,
            "open_risks": len(risks), "by_rating": by_rating, "highest": highest}, shas


# ---------------------------------------------------------------- template context

def context(figures: dict[str, Any]) -> dict[str, Any]:
    """Each Red indicator's chart geometry, rebuilt from the (already disclosed) figures."""
    drawn = {}
    for ind in figures["red_indicators"]:
        items = []
        for p in ind["trend"]["points"]:
            plotted = None
            if not p["value_suppressed"] and p["rag"] != "Not returned" and p["value"]:
                plotted = _number(p["value"])
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
    return {"charts": drawn}


def _number(text: str) -> Decimal | None:
    """The number in a formatted value ('85.0%', '£1,234', '12 days')."""
    digits = "".join(ch for ch in text if ch.isdigit() or ch in ".-")
    try:
        return Decimal(digits)
    except ArithmeticError:
        return None
