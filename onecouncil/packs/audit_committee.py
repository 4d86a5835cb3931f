"""The quarterly audit committee pack (restricted): corporate risks and internal audit.

Reads the risk and audit marts of docs/risk-audit-marts.md. Each mart is read at its
own latest snapshot on or before the quarter's end date (the risk register and the
audit system export on different days), and the pack says which dates it used.
Restricted engagements appear here, marked `Restricted`: this pack is never public.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import psycopg

from onecouncil.calendar import FiscalQuarter, FiscalYear
from onecouncil.packs import render
from onecouncil.packs.risk_bands import rating, risk_bands
from onecouncil.packs.lineage import fetch, files

NAME = "audit-committee"
TITLE = "Audit committee: risk and internal audit"
PUBLIC = False
TEMPLATE = "audit-committee.html"
MARTS = ("marts.risk_register", "marts.audit_engagements", "marts.audit_plan_progress",
         "marts.audit_recommendations", "marts.audit_implementation")
THRESHOLD_KEYS = ("council_name",)

RATINGS = ("Very high", "High", "Medium", "Low")
PRIORITIES = ("high", "medium", "low")
OPINIONS = (("substantial", "substantial", "Substantial"),
            ("reasonable", "reasonable", "Reasonable"),
            ("limited", "limited", "Limited"),
            ("no", "no_assurance", "No assurance"))
MOVEMENT_ORDER = ("up", "new", "no change", "down", "closed")

RISK_COLUMNS = (
    "risk_id, risk_title, register, owner, category, status, inherent_likelihood, "
    "inherent_impact, inherent_score, current_likelihood, current_impact, current_score, "
    "target_likelihood, target_impact, target_score, rating, above_appetite, next_review_due, "
    "review_overdue, movement, previous_score")

# The raw rows behind the snapshots read: the risk register's snapshot and the one before
# it (movement compares the two), and the audit snapshots. `_replaced_at is null` keeps
# only rows no later file replaced.
SOURCE_FILE_IDS = """
    select _file_id from raw.risk__register
     where _replaced_at is null and snapshot_date in (%(risk)s, %(risk_previous)s)
    union select _file_id from raw.audit__engagements
     where _replaced_at is null and snapshot_date in (%(engagements)s, %(plan)s,
                                                      %(recommendations)s)
    union select _file_id from raw.audit__recommendations
     where _replaced_at is null and snapshot_date in (%(recommendations)s, %(implementation)s)
"""


def quarter_end(fiscal_year: str, quarter: int) -> dt.date:
    return FiscalQuarter(FiscalYear.parse(fiscal_year), quarter).last_day


def share(part: int, whole: int) -> Decimal | None:
    """part / whole x 100 to one place, half up; None when there is nothing to share."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def heat_map(risks: list[dict[str, Any]], bands: dict[str, int]) -> list[dict[str, Any]]:
    """The 5 x 5 grid of open risks: rows likelihood 5 down to 1, cells impact 1 to 5.

    A cell's rating is the one the mart gave its risks' score (the mart is the authority);
    an empty cell takes the configured band of its score.
    """
    rated = {r["current_score"]: r["rating"] for r in risks if r["rating"]}
    rows = []
    for likelihood in range(5, 0, -1):
        cells = []
        for impact in range(1, 6):
            score = likelihood * impact
            ids = sorted(r["risk_id"] for r in risks if r["current_likelihood"] == likelihood
                         and r["current_impact"] == impact)
            cells.append({"likelihood": likelihood, "impact": impact, "score": score,
                          "rating": rated.get(score) or rating(score, bands),
                          "count": len(ids), "risk_ids": ids})
        rows.append({"likelihood": likelihood, "cells": cells})
    return rows


def _snapshot(conn: psycopg.Connection, mart: str, end: dt.date,
              before: bool = False) -> dt.date | None:
    op = "<" if before else "<="
    return fetch(conn, f"select max(snapshot_date) as d from {mart} where snapshot_date {op} %s",
                 (end,))[0]["d"]


def build(conn: psycopg.Connection, period: FiscalQuarter) -> tuple[dict, dict]:
    """(figures, lineage) for one quarter; figures hold every number the pack shows."""
    fiscal_year, quarter = str(period.year), period.quarter
    end = quarter_end(fiscal_year, quarter)
    snaps = {
        "risk": _snapshot(conn, "marts.risk_register", end),
        "engagements": _snapshot(conn, "marts.audit_engagements", end),
        "plan": _snapshot(conn, "marts.audit_plan_progress", end),
        "recommendations": _snapshot(conn, "marts.audit_recommendations", end),
        "implementation": _snapshot(conn, "marts.audit_implementation", end),
    }
    if not any(snaps.values()):
        raise LookupError(f"no risk or audit mart has a snapshot on or before {end}: "
                          "has the transform run with risk and audit files?")
    snaps["risk_previous"] = (_snapshot(conn, "marts.risk_register", snaps["risk"], before=True)
                              if snaps["risk"] else None)
    bands = risk_bands()

    risks = fetch(conn, f"select {RISK_COLUMNS} from marts.risk_register "
                        "where snapshot_date = %(d)s and register = 'corporate' "
                        "order by current_score desc, risk_id", {"d": snaps["risk"]})
    open_risks = [r for r in risks if r["status"] == "open"]
    closed_risks = [r for r in risks if r["status"] != "open"]
    movement = {m: sum(1 for r in risks if r["movement"] == m) for m in MOVEMENT_ORDER}
    risk_summary = {
        "open": len(open_risks),
        "closed": len(closed_risks),
        "by_rating": {k: sum(1 for r in open_risks if r["rating"] == k) for k in RATINGS},
        "above_appetite": sum(1 for r in open_risks if r["above_appetite"]),
        "review_overdue": sum(1 for r in open_risks if r["review_overdue"]),
        "movement": movement,
    }

    plan_rows = fetch(
        conn, "select plan_year, audits_in_scope, final_reports, draft_reports, final_pct, "
              "draft_pct, substantial, reasonable, limited, no_assurance, restricted_audits, "
              "cancelled, deferred from marts.audit_plan_progress "
              "where snapshot_date = %(d)s and plan_year = %(fy)s",
        {"d": snaps["plan"], "fy": fiscal_year})
    plan = plan_rows[0] if plan_rows else None
    opinions = []
    if plan:
        plan["not_yet_reported"] = (plan["audits_in_scope"] - plan["final_reports"]
                                    - plan["draft_reports"])
        plan["not_yet_reported_pct"] = share(plan["not_yet_reported"], plan["audits_in_scope"])
        given = sum(plan[col] or 0 for _, col, _ in OPINIONS)
        opinions = [{"opinion": key, "label": label, "count": plan[col] or 0,
                     "share": share(plan[col] or 0, given)} for key, col, label in OPINIONS]
        plan["opinions_given"] = given

    # Final reports only: a draft's opinion can still change. An audit of last year's plan
    # finalised this year is listed too, since this committee has not seen it.
    fy_start = FiscalYear.parse(fiscal_year).first_day
    weak_audits = fetch(
        conn, "select audit_id, audit_title, directorate_code, plan_year, audit_type, "
              "assurance_opinion, final_issued, is_restricted from marts.audit_engagements "
              "where snapshot_date = %(d)s and status = 'final report' "
              "and assurance_opinion in ('limited', 'no') "
              "and (plan_year = %(fy)s or final_issued between %(start)s and %(end)s) "
              "order by (assurance_opinion = 'limited'), final_issued nulls last, audit_id",
        {"d": snaps["engagements"], "fy": fiscal_year, "start": fy_start, "end": end})

    overdue = fetch(
        conn, "select recommendation_id, audit_id, audit_title, directorate_code, "
              "is_restricted, priority, agreed_action, action_owner, original_due_date, "
              "revised_due_date, due_date, days_overdue from marts.audit_recommendations "
              "where snapshot_date = %(d)s and is_overdue "
              "order by array_position(array['high','medium','low'], priority), "
              "days_overdue desc, recommendation_id", {"d": snaps["recommendations"]})
    directorates = sorted({r["directorate_code"] for r in overdue})
    overdue_by = [{"directorate_code": d,
                   **{p: sum(1 for r in overdue if r["directorate_code"] == d
                             and r["priority"] == p) for p in PRIORITIES},
                   "total": sum(1 for r in overdue if r["directorate_code"] == d)}
                  for d in directorates]
    overdue_total = {**{p: sum(1 for r in overdue if r["priority"] == p) for p in PRIORITIES},
                     "total": len(overdue)}

    implementation = fetch(
        conn, "select priority, due, implemented, overdue, open_and_due, implementation_rate "
              "from marts.audit_implementation where snapshot_date = %(d)s "
              "order by array_position(array['high','medium','low'], priority), priority",
        {"d": snaps["implementation"]})
    imp_total = {k: sum(r[k] or 0 for r in implementation)
                 for k in ("due", "implemented", "overdue", "open_and_due")}
    imp_total["implementation_rate"] = share(
        imp_total["implemented"],
        imp_total["implemented"] + imp_total["overdue"] + imp_total["open_and_due"])

    figures = {
        "quarter_end": end,
        "snapshots": snaps,
        "risk_summary": risk_summary,
        "heat_map": heat_map(open_risks, bands),
        "corporate_risks": open_risks,
        "closed_risks": closed_risks,
        "plan": plan,
        "opinions": opinions,
        "limited_no_assurance": weak_audits,
        "overdue_recommendations": overdue,
        "overdue_by_directorate": overdue_by,
        "overdue_total": overdue_total,
        "implementation": implementation,
        "implementation_total": imp_total,
        "units": {"shares": "percentages to one decimal place, rounded half up",
                  "days_overdue": "calendar days from the due date to the snapshot date"},
    }
    source_files, quarantine = files(conn, SOURCE_FILE_IDS, snaps)
    limits = render.thresholds()
    if "{{" in str(limits["council_name"]):
        # dbt_project.yml holds the name as a dbt expression, which only dbt can evaluate.
        limits["council_name"] = render.DEFAULT_THRESHOLDS["council_name"]
    lineage = {
        "marts": list(MARTS),
        "source_files": source_files,
        "quarantine": quarantine,
        "thresholds": {**{k: limits[k] for k in THRESHOLD_KEYS}, **bands},
    }
    return figures, lineage

