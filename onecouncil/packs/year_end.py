"""The Chief Executive's year-end summary (public, annual).

Three things, in plain English: Council Plan actions completed by priority (at the
year's latest quarter with updates), indicators at year end against target (counts by
RAG and the list of public indicators with their year or year-to-date value), and the
revenue outturn (council and directorates at period 13 when it exists, else 12). Every
figure comes from the report models (dbt/models/reports/year_end,
`reports.rpt_year_end__*`), read here with plain selects.

Each part says plainly when its data is not yet available, and which feed it waits for.
Public, so rows marked not public are left out (by the report models, and again by
visibility.public_only), and an indicator value that counts people (unit `number`) from
1 to 4 is shown as `<5`: it is the only figure of its line here, and the Cabinet pack
hides at least two quarters of a year whenever it hides one, so the year's total cannot
give a hidden quarter away.
"""

from __future__ import annotations

from typing import Any

import psycopg

from onecouncil.calendar import FiscalYear
from onecouncil.packs import disclosure, lineage, thresholds
from onecouncil.packs.indicators import INDICATOR_COLUMNS, NO_TARGET, RAGS, shown_indicator
from onecouncil.packs.rows import report_rows
from onecouncil.packs.sections import not_available

NAME = "year-end"

# The landing feeds (contracts/sources.md) each part waits for when it has no rows.
WAITING_FOR = {
    "actions": ["performance/plan_actions"],
    "indicators": ["performance/indicators", "performance/indicator_values"],
    "finance": ["finance/ledger"],
}

KEY = "where fiscal_year = %(fy)s"

FINANCE_COLUMNS = ("current_budget, actual_ytd, forecast_outturn, variance, variance_pct, "
                   "rag")


def _unavailable(part: str, **empty: Any) -> dict[str, Any]:
    return not_available(WAITING_FOR[part], **empty)


def _read(conn: psycopg.Connection, columns: str, model: str, key: dict[str, Any],
          order: str = "sort_order") -> list[dict[str, Any]]:
    return report_rows(conn, columns, model, KEY, key, order)


def _actions(conn, key) -> dict[str, Any]:
    lines = _read(conn, "quarter, priority, is_total, actions, complete",
                  "rpt_year_end__plan_actions_by_priority", key)
    if not lines:
        return _unavailable("actions", quarter=None, priorities=[], total=None)

    def line(r):
        return {"priority": r["priority"], "actions": r["actions"], "complete": r["complete"]}

    return {"available": True, "quarter": lines[0]["quarter"],
            "priorities": [line(r) for r in lines if not r["is_total"]],
            "total": next(line(r) for r in lines if r["is_total"])}


def _period(r: dict[str, Any]) -> str:
    return "Year" if r["period_type"] == "year" else f"Year to {r['period_end']:%d/%m/%Y}"


def _indicators(conn, key) -> dict[str, Any]:
    rows = _read(conn, INDICATOR_COLUMNS, "rpt_year_end__indicators", key)
    if not rows:
        return _unavailable("indicators", rows=[], by_rag={}, not_returned=[])
    shown = []
    for r in rows:
        hidden = disclosure.counts_people(r) and disclosure.primary(
            disclosure.as_count(r["value"]))
        shown.append({**shown_indicator(r, hidden), "period": _period(r)})
    by_rag = _read(conn, "rag, indicators", "rpt_year_end__indicators_by_rag", key)
    not_returned = [{"indicator_id": r["indicator_id"], "indicator_name": r["indicator_name"],
                     "directorate_name": r["directorate_name"], "period": r["period"]}
                    for r in shown if r["rag"] == "Not returned"]
    return {"available": True, "rows": shown,
            "by_rag": {r["rag"]: r["indicators"] for r in by_rag}, "not_returned": not_returned}


def _finance(conn, key) -> dict[str, Any]:
    council = _read(conn, f"period, period_end, {FINANCE_COLUMNS}",
                    "rpt_year_end__outturn_council", key, order="fiscal_year")
    if not council:
        return _unavailable("finance", period=None, council=None, directorates=[],
                            unmapped_lines=[])
    directorates = _read(conn, f"directorate_code, directorate_name, {FINANCE_COLUMNS}",
                         "rpt_year_end__outturn_directorates", key)
    unmapped = _read(conn, "source, cost_centre, account_code, reason, lines, amount",
                     "rpt_year_end__unmapped_lines", key)
    return {"available": True, "period": council[0]["period"], "council": council[0],
            "directorates": directorates, "unmapped_lines": unmapped}


def build(conn: psycopg.Connection, year: FiscalYear) -> tuple[dict, dict]:
    """(figures, lineage) for the year."""
    key = {"fy": str(year)}
    parts = {"actions": _actions(conn, key), "indicators": _indicators(conn, key),
             "finance": _finance(conn, key)}
    figures = {
        **parts, "rags": list(RAGS),
        "disclosure": {"rule": "Indicators measured in numbers count people: 1 to 4 is "
                               "shown as <5.", "threshold": 5},
        "units": {"finance": "GBP thousands, 1 decimal place; negative with a leading minus",
                  "json": "finance in GBP as stored in the marts; indicator values as shown"},
    }
    marts = {"actions": ["marts.plan_action_progress"],
             "indicators": ["marts.indicator_results"],
             "finance": ["marts.finance_outturn_council", "marts.finance_outturn_directorate"]}
    source_files, quarantine = lineage.sources(conn, NAME, year)
    limits = thresholds.thresholds(conn)
    return figures, {
        "marts": [m for part, shown in parts.items() if shown["available"] for m in marts[part]],
        "source_files": source_files, "quarantine": quarantine,
        "thresholds": thresholds.pick(limits, ("council_name",))}


def context(figures: dict[str, Any]) -> dict[str, Any]:
    """The words for a missing target."""
    return {"no_target": NO_TARGET}
