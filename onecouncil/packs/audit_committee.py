"""The quarterly audit committee pack (restricted): corporate risks and internal audit.

A thin presentation of the report models in dbt/models/reports/audit (rpt_audit__*):
each mart is read at its own latest snapshot on or before the quarter's end (the risk
register and the audit system export on different days), and the pack says which dates
it used. Every count, share, total line, ordering and snapshot choice is worked out in
dbt; this module reads the rows and shapes them for the template:

- summary and snapshot dates: rpt_audit__snapshots (and the sections' models below)
- heat map: rpt_audit__risk_heat_map
- corporate risk register, closed risks: rpt_audit__risk_register, rpt_audit__risk_summary
- plan progress: rpt_audit__plan_progress; opinions: rpt_audit__opinions
- limited and no assurance audits: rpt_audit__limited_no_assurance
- overdue recommendations: rpt_audit__overdue_recommendations,
  rpt_audit__overdue_by_directorate (with its "All directorates" line)
- implementation rate: rpt_audit__implementation (with its "All priorities" line)
- data quality: reports.pack_sources / pack_quarantine (from rpt_audit__source_files)

Restricted engagements appear here, marked `Restricted`: this pack is never public.

Missing data is not a failure: a section whose report rows are empty is "not yet
available", waiting for its feed. Then, and only then, `figures["sections"]` says which
(`{"heat-map": {"available": false, "waiting_for": ["risk/register"]}, ...}`), so a
quarter with all its data renders exactly the JSON it always has.
"""

from __future__ import annotations

from typing import Any

import psycopg

from onecouncil.calendar import FiscalQuarter
from onecouncil.packs import lineage, thresholds
from onecouncil.packs.rows import fetch
from onecouncil.packs.sections import not_available

NAME = "audit-committee"
# The marts the report models read: the pack's figures come from these.
MARTS = ("marts.risk_register", "marts.audit_engagements", "marts.audit_plan_progress",
         "marts.audit_recommendations", "marts.audit_implementation")
THRESHOLD_KEYS = ("council_name", "risk_medium_from", "risk_high_from", "risk_very_high_from")

RISK_FEED, ENGAGEMENTS_FEED, RECOMMENDATIONS_FEED = (
    "risk/register", "audit/engagements", "audit/recommendations")
# Each section of the template (its id) and the feed whose files its rows come from.
SECTION_FEEDS = {
    "heat-map": RISK_FEED,
    "register": RISK_FEED,
    "plan": ENGAGEMENTS_FEED,
    "opinions": ENGAGEMENTS_FEED,
    "weak-audits": ENGAGEMENTS_FEED,
    "overdue": RECOMMENDATIONS_FEED,
    "implementation": RECOMMENDATIONS_FEED,
}

SNAPSHOT_KEYS = ("risk", "risk_previous", "engagements", "plan", "recommendations",
                 "implementation")
WHERE = "where fiscal_year = %(fy)s and quarter = %(q)s"

SNAPSHOTS = (
    "select quarter_end, risk_snapshot_date as risk, "
    "risk_previous_snapshot_date as risk_previous, engagements_snapshot_date as engagements, "
    "plan_snapshot_date as plan, recommendations_snapshot_date as recommendations, "
    f"implementation_snapshot_date as implementation from reports.rpt_audit__snapshots {WHERE}")
RISK_SUMMARY = (
    "select open, closed, very_high, high, medium, low, above_appetite, review_overdue, "
    "movement_up, movement_new, movement_no_change, movement_down, movement_closed "
    f"from reports.rpt_audit__risk_summary {WHERE}")
HEAT_MAP = (
    "select likelihood, impact, score, rating, risk_count as count, risk_ids "
    f"from reports.rpt_audit__risk_heat_map {WHERE} order by sort_order")
RISK_REGISTER = (
    "select risk_id, risk_title, register, owner, category, status, inherent_likelihood, "
    "inherent_impact, inherent_score, current_likelihood, current_impact, current_score, "
    "target_likelihood, target_impact, target_score, rating, above_appetite, "
    "next_review_due, review_overdue, movement, previous_score "
    f"from reports.rpt_audit__risk_register {WHERE} and listed_as = %(listed_as)s "
    "order by sort_order")
PLAN = (
    "select plan_year, audits_in_scope, final_reports, draft_reports, final_pct, draft_pct, "
    "substantial, reasonable, limited, no_assurance, restricted_audits, cancelled, deferred, "
    "not_yet_reported, not_yet_reported_pct, opinions_given "
    f"from reports.rpt_audit__plan_progress {WHERE}")
OPINIONS = (
    "select opinion, label, audits as count, share "
    f"from reports.rpt_audit__opinions {WHERE} order by sort_order")
LIMITED_NO_ASSURANCE = (
    "select audit_id, audit_title, directorate_code, plan_year, audit_type, "
    "assurance_opinion, final_issued, is_restricted "
    f"from reports.rpt_audit__limited_no_assurance {WHERE} order by sort_order")
OVERDUE = (
    "select recommendation_id, audit_id, audit_title, directorate_code, is_restricted, "
    "priority, agreed_action, action_owner, original_due_date, revised_due_date, due_date, "
    f"days_overdue from reports.rpt_audit__overdue_recommendations {WHERE} "
    "order by sort_order")
# The directorate lines, then the "All directorates" line, of the same report model.
OVERDUE_BY_DIRECTORATE = (
    "select directorate_code, high, medium, low, total "
    f"from reports.rpt_audit__overdue_by_directorate {WHERE} and not is_total "
    "order by sort_order")
OVERDUE_TOTAL = (
    "select high, medium, low, total "
    f"from reports.rpt_audit__overdue_by_directorate {WHERE} and is_total")
# The priority lines, then the "All priorities" line.
IMPLEMENTATION = (
    "select priority, due, implemented, overdue, open_and_due, implementation_rate "
    f"from reports.rpt_audit__implementation {WHERE} and not is_total order by sort_order")
IMPLEMENTATION_TOTAL = (
    "select due, implemented, overdue, open_and_due, implementation_rate "
    f"from reports.rpt_audit__implementation {WHERE} and is_total")


def _risk_summary(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """The summary row in the shape the template and the JSON have always had."""
    if row is None:
        return None
    return {
        "open": row["open"],
        "closed": row["closed"],
        "by_rating": {"Very high": row["very_high"], "High": row["high"],
                      "Medium": row["medium"], "Low": row["low"]},
        "above_appetite": row["above_appetite"],
        "review_overdue": row["review_overdue"],
        "movement": {"up": row["movement_up"], "new": row["movement_new"],
                     "no change": row["movement_no_change"], "down": row["movement_down"],
                     "closed": row["movement_closed"]},
    }


def _grid(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The heat map's cells (in grid order) as rows of the grid, likelihood 5 first."""
    rows: list[dict[str, Any]] = []
    for cell in cells:
        if not rows or rows[-1]["likelihood"] != cell["likelihood"]:
            rows.append({"likelihood": cell["likelihood"], "cells": []})
        rows[-1]["cells"].append(cell)
    return rows


def _sections(available: dict[str, bool]) -> dict[str, dict[str, Any]]:
    return {section: {"available": True, "waiting_for": []} if ok
            else not_available([SECTION_FEEDS[section]])
            for section, ok in available.items()}


def context(figures: dict[str, Any]) -> dict[str, Any]:
    """`sections` for the template: every section's availability, all available unless
    the figures say otherwise."""
    return {"sections": figures.get("sections")
            or _sections({section: True for section in SECTION_FEEDS})}


def _one(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    return rows[0] if rows else None


def build(conn: psycopg.Connection, period: FiscalQuarter) -> tuple[dict, dict]:
    """(figures, lineage) for one quarter; figures hold every number the pack shows."""
    key = {"fy": str(period.year), "q": period.quarter}

    # A quarter outside the calendar spine has no row: no snapshot of anything.
    snaps = dict(_one(fetch(conn, SNAPSHOTS, key)) or {})
    quarter_end = snaps.pop("quarter_end", period.last_day)
    snaps = {k: snaps.get(k) for k in SNAPSHOT_KEYS}

    summary = _one(fetch(conn, RISK_SUMMARY, key))
    plan = _one(fetch(conn, PLAN, key))
    overdue_total = _one(fetch(conn, OVERDUE_TOTAL, key))
    implementation = fetch(conn, IMPLEMENTATION, key)
    heat_map = _grid(fetch(conn, HEAT_MAP, key))

    available = {
        "heat-map": bool(heat_map),
        "register": summary is not None,
        "plan": plan is not None,
        "opinions": plan is not None,
        "weak-audits": snaps["engagements"] is not None,
        "overdue": overdue_total is not None,
        "implementation": bool(implementation),
    }

    figures: dict[str, Any] = {
        "quarter_end": quarter_end,
        "snapshots": snaps,
        "risk_summary": _risk_summary(summary),
        "heat_map": heat_map,
        "corporate_risks": fetch(conn, RISK_REGISTER, {**key, "listed_as": "open"}),
        "closed_risks": fetch(conn, RISK_REGISTER, {**key, "listed_as": "closed"}),
        "plan": plan,
        "opinions": fetch(conn, OPINIONS, key),
        "limited_no_assurance": fetch(conn, LIMITED_NO_ASSURANCE, key),
        "overdue_recommendations": fetch(conn, OVERDUE, key),
        "overdue_by_directorate": fetch(conn, OVERDUE_BY_DIRECTORATE, key),
        "overdue_total": overdue_total,
        "implementation": implementation,
        "implementation_total": _one(fetch(conn, IMPLEMENTATION_TOTAL, key)),
        "units": {"shares": "percentages to one decimal place, rounded half up",
                  "days_overdue": "calendar days from the due date to the snapshot date"},
    }
    if not all(available.values()):
        figures["sections"] = _sections(available)

    source_files, quarantine = lineage.sources(conn, NAME, period)
    lineage_ = {
        "marts": list(MARTS),
        "source_files": source_files,
        "quarantine": quarantine,
        "thresholds": thresholds.pick(thresholds.thresholds(conn), THRESHOLD_KEYS),
    }
    return figures, lineage_
