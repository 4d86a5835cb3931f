"""The Chief Executive's year-end summary (public, annual).

Three things, in plain English: Council Plan actions completed by priority (at the
year's latest quarter with updates), indicators at year end against target (counts by
RAG and the list of public indicators with their year or year-to-date value), and the
revenue outturn (council and directorates at period 13 when it exists, else 12).

Each part says plainly when its data is not yet available. Public, so rows marked not
public or restricted are left out, and an indicator value that counts people (unit
`number`) from 1 to 4 is shown as `<5`: it is the only figure of its line here, and the
Cabinet pack hides at least two quarters of a year whenever it hides one, so the year's
total cannot give a hidden quarter away.
"""

from __future__ import annotations

from typing import Any

import psycopg

from onecouncil.calendar import FiscalYear
from onecouncil.packs import disclosure, finance_outturn
from onecouncil.packs.cabinet_quarterly import (
    INDICATOR_COLUMNS,
    NO_PRIORITY,
    RAGS,
    _as_count,
    _relation_exists,
    _shown_indicator,
    _visibility,
    counts_people,
)
from onecouncil.packs.lineage import fetch, files
from onecouncil.packs.scrutiny_quarterly import council_name

NAME = "year-end"
TITLE = "Year-end summary of achievements"
PUBLIC = True
TEMPLATE = "year-end.html"
UNMAPPED_LAST = finance_outturn.UNMAPPED_LAST


def _actions(conn, fy) -> tuple[dict[str, Any], list[str]]:
    rel = "marts.plan_action_progress"
    none = {"available": False, "quarter": None, "priorities": [], "total": None}
    if not _relation_exists(conn, rel):
        return none, []
    visible = _visibility(conn, rel)
    q = fetch(conn, f"select max(quarter) as q from {rel} where {visible} "
                    "and fiscal_year = %(fy)s", {"fy": fy})[0]["q"]
    if q is None:
        return none, []
    rows = fetch(conn, "select priority, reported_status, sha256 from " + rel +
                 f" where {visible} and fiscal_year = %(fy)s and quarter = %(q)s",
                 {"fy": fy, "q": q})
    priorities = []
    for p in sorted({r["priority"] or NO_PRIORITY for r in rows}, key=str.lower):
        these = [r for r in rows if (r["priority"] or NO_PRIORITY) == p]
        priorities.append({"priority": p, "actions": len(these),
                           "complete": sum(r["reported_status"] == "complete" for r in these)})
    total = {"priority": "All priorities", "actions": len(rows),
             "complete": sum(r["reported_status"] == "complete" for r in rows)}
    return ({"available": True, "quarter": q, "priorities": priorities, "total": total},
            [r["sha256"] for r in rows if r["sha256"]])


def _indicators(conn, fy) -> tuple[dict[str, Any], list[str]]:
    rel = "marts.indicator_results"
    none = {"available": False, "rows": [], "by_rag": {}, "not_returned": []}
    if not _relation_exists(conn, rel):
        return none, []
    public = "is_public is true and " + _visibility(conn, rel)
    # each indicator's latest year or year-to-date row of the year: the year-end figure
    rows = fetch(conn, f"select distinct on (indicator_id) {INDICATOR_COLUMNS} from {rel} "
                       f"where {public} and fiscal_year = %(fy)s "
                       "and period_type in ('year', 'ytd') "
                       "order by indicator_id, period_end desc, period_type", {"fy": fy})
    if not rows:
        return none, []
    rows.sort(key=lambda r: (r["directorate_name"] or "", r["indicator_name"],
                             r["indicator_id"]))
    shown = []
    for r in rows:
        hidden = counts_people(r) and disclosure.primary(_as_count(r["value"]))
        s = _shown_indicator(r, hidden)
        s["period"] = "Year" if r["period_type"] == "year" else \
            f"Year to {r['period_end']:%d/%m/%Y}"
        shown.append(s)
    by_rag = {k: sum(r["rag"] == k for r in rows) for k in RAGS}
    not_returned = [{"indicator_id": r["indicator_id"], "indicator_name": r["indicator_name"],
                     "directorate_name": r["directorate_name"], "period": r["period"]}
                    for r in shown if r["rag"] == "Not returned"]
    return ({"available": True, "rows": shown, "by_rag": by_rag, "not_returned": not_returned},
            [r["sha256"] for r in rows if r["sha256"]])


def _finance(conn, fy) -> dict[str, Any]:
    none = {"available": False, "period": None, "council": None, "directorates": [],
            "unmapped_lines": []}
    if not (_relation_exists(conn, "marts.finance_outturn_council")
            and _relation_exists(conn, "marts.finance_outturn_directorate")):
        return none
    cols = "current_budget, actual_ytd, forecast_outturn, variance, variance_pct, rag"
    council = fetch(conn, f"select period, period_end, {cols} from marts.finance_outturn_council "
                          "where fiscal_year = %(fy)s and period in (12, 13) "
                          "order by period desc limit 1", {"fy": fy})
    if not council:
        return none
    p = council[0]["period"]
    directorates = fetch(
        conn, f"select directorate_code, directorate_name, {cols} "
              "from marts.finance_outturn_directorate where fiscal_year = %(fy)s "
              f"and period = %(p)s order by {UNMAPPED_LAST.format(col='directorate_code')}, "
              "directorate_name, directorate_code", {"fy": fy, "p": p})
    unmapped = []
    if _relation_exists(conn, "marts.finance_unmapped_lines"):
        unmapped = fetch(
            conn, "select source, cost_centre, account_code, reason, lines, amount "
                  "from marts.finance_unmapped_lines where fiscal_year = %(fy)s "
                  "and period = %(p)s order by source, cost_centre nulls first, "
                  "account_code nulls first, reason", {"fy": fy, "p": p})
    return {"available": True, "period": p, "council": council[0],
            "directorates": directorates, "unmapped_lines": unmapped}


def build(conn: psycopg.Connection, year: FiscalYear) -> tuple[dict, dict]:
    """(figures, lineage) for the year."""
    fiscal_year = str(year)
    actions, action_shas = _actions(conn, fiscal_year)
    indicators, indicator_shas = _indicators(conn, fiscal_year)
    finance = _finance(conn, fiscal_year)
    figures = {
        "actions": actions, "indicators": indicators, "finance": finance, "rags": list(RAGS),
        "disclosure": {"rule": "Indicators measured in numbers count people: 1 to 4 is "
                               "shown as <5.", "threshold": 5},
        "units": {"finance": "GBP thousands, 1 decimal place; negative with a leading minus",
                  "json": "finance in GBP as stored in the marts; indicator values as shown"},
    }
    shas = sorted(set(action_shas) | set(indicator_shas))
    file_ids = "select f.file_id from ops.files f where f.outcome = 'loaded' " \
               "and f.sha256 = any(%(shas)s)"
    if finance["available"]:
        file_ids += " union " + finance_outturn.SOURCE_FILE_IDS
    source_files, quarantine = files(conn, file_ids, {"shas": shas, "fy": fiscal_year,
                                                      "p": finance["period"] or 0})
    used = {"marts.plan_action_progress": actions["available"],
            "marts.indicator_results": indicators["available"],
            "marts.finance_outturn_council": finance["available"],
            "marts.finance_outturn_directorate": finance["available"]}
    lineage = {"marts": [m for m, ok in used.items() if ok], "source_files": source_files,
               "quarantine": quarantine, "thresholds": {"council_name": council_name()}}
    return figures, lineage
