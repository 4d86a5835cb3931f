"""Hand-made risk and audit marts (docs/risk-audit-marts.md) for the pack tests.

Fiscal year 2025-26. Snapshots either side of each quarter end, so a test can tell
which one a pack chose: risk register 30/06, 30/09 and 31/10/2025; audit snapshots
27/06, 26/09 and 31/10/2025. Quarter 2 (ends 30/09/2025) must read 30/09 and 26/09;
the October snapshots hold rows (FUTURE_*) that must never show for quarter 2.

Import the fixture into a test module (`from audit_fixtures import audit_marts_fixture`)
and ask for `audit_marts`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal as D

import pytest

FY = "2025-26"
RESTRICTED_ID = "IA-RX-99"
RESTRICTED_TITLE = "Investigation - restricted test"
FUTURE_RISK = "Future snapshot risk"
FUTURE_AUDIT = "Future snapshot audit"

RISK_SHAS = {d: hashlib.sha256(f"risk register {d}".encode()).hexdigest()
             for d in ("2025-06-30", "2025-09-30", "2025-10-31")}
ENGAGEMENT_SHAS = {d: hashlib.sha256(f"engagements {d}".encode()).hexdigest()
                   for d in ("2025-06-27", "2025-09-26", "2025-10-31")}
RECOMMENDATION_SHAS = {d: hashlib.sha256(f"recommendations {d}".encode()).hexdigest()
                       for d in ("2025-06-27", "2025-09-26", "2025-10-31")}

RISK_DDL = """
drop table if exists marts.risk_register;
create schema if not exists marts;
create table marts.risk_register (
    snapshot_date date, risk_id text, risk_title text, register text, owner text,
    category text, status text, inherent_likelihood integer, inherent_impact integer,
    inherent_score integer, current_likelihood integer, current_impact integer,
    current_score integer, target_likelihood integer, target_impact integer,
    target_score integer, rating text, above_appetite boolean, next_review_due date,
    review_overdue boolean, movement text, previous_score integer, sha256 text);
"""
AUDIT_DDL = """
drop table if exists marts.audit_engagements, marts.audit_plan_progress,
    marts.audit_recommendations, marts.audit_implementation;
create schema if not exists marts;
create table marts.audit_engagements (
    snapshot_date date, audit_id text, audit_title text, directorate_code text,
    plan_year text, audit_type text, status text, assurance_opinion text, draft_issued date,
    final_issued date, is_restricted boolean, in_scope boolean, sha256 text);
create table marts.audit_plan_progress (
    snapshot_date date, plan_year text, audits_in_scope integer, final_reports integer,
    draft_reports integer, final_pct numeric, draft_pct numeric, substantial integer,
    reasonable integer, limited integer, no_assurance integer, restricted_audits integer,
    cancelled integer, deferred integer);
create table marts.audit_recommendations (
    snapshot_date date, recommendation_id text, audit_id text, audit_title text,
    directorate_code text, is_restricted boolean, priority text, agreed_action text,
    action_owner text, original_due_date date, revised_due_date date, due_date date,
    status text, implemented_date date, is_due boolean, is_overdue boolean,
    days_overdue integer, sha256 text);
create table marts.audit_implementation (
    snapshot_date date, priority text, due integer, implemented integer, overdue integer,
    open_and_due integer, implementation_rate numeric);
"""

# risk_id, title, register, owner, status, current (L, I), target (L, I), review due,
# movement, previous score. Inherent is current + 1 on each axis, capped at 5.
RISKS = {
    "2025-06-30": [
        ("CR01", "Cyber attack disrupts services", "corporate", "Director of Digital", "open",
         (4, 4), (2, 5), "2025-07-15", "no change", 16),
        ("CR02", "Adult social care demand exceeds budget", "corporate", "DASS", "open",
         (4, 4), (3, 3), "2025-07-31", "up", 12),
        ("CR03", "Unable to recruit key staff", "corporate", "Director of HR", "open",
         (3, 5), (3, 4), "2025-08-31", "no change", 15),
        ("CR07", "Office move delays", "corporate", "Director of Property", "open",
         (2, 2), (1, 2), "2025-08-01", "no change", 4),
    ],
    "2025-09-30": [
        ("CR01", "Cyber attack disrupts services", "corporate", "Director of Digital", "open",
         (4, 5), (2, 5), "2025-09-15", "up", 16),
        ("CR02", "Adult social care demand exceeds budget", "corporate", "DASS", "open",
         (4, 4), (3, 3), "2025-10-15", "no change", 16),
        ("CR03", "Unable to recruit key staff", "corporate", "Director of HR", "open",
         (3, 4), (3, 4), "2025-11-01", "down", 15),
        ("CR04", "Climate adaptation <flooding> & heat", "corporate", "Director of Place",
         "open", (3, 4), (2, 3), "2025-12-01", "new", None),
        ("CR05", "Information governance breach", "corporate", "SIRO", "open",
         (2, 3), (2, 3), "2025-09-01", "no change", 6),
        ("CR06", "Health and safety incident", "corporate", "Chief Executive", "open",
         (1, 4), (1, 4), "2026-01-10", "down", 8),
        ("CR07", "Office move delays", "corporate", "Director of Property", "closed",
         (1, 1), (1, 1), "2025-09-01", "closed", 4),
        ("ADU-R1", "Directorate risk not on the corporate register", "ADU", "DASS", "open",
         (5, 5), (2, 2), "2025-10-01", "no change", 25),
    ],
    "2025-10-31": [
        ("CR01", "Cyber attack disrupts services", "corporate", "Director of Digital", "open",
         (5, 5), (2, 5), "2025-11-15", "up", 20),
        ("CR99", FUTURE_RISK, "corporate", "Nobody", "open",
         (5, 4), (1, 1), "2025-11-30", "new", None),
    ],
}

# audit_id, title, directorate, plan year, type, status, opinion, final issued, restricted
ENGAGEMENTS = [
    ("IA-01", "Payroll", "FIN", "2025-26", "assurance", "final report", "substantial",
     "2025-07-10", False),
    ("IA-02", "Procurement cards", "FIN", "2025-26", "assurance", "final report", "reasonable",
     "2025-07-25", False),
    ("IA-03", "Section 106 agreements", "PLA", "2025-26", "assurance", "final report",
     "limited", "2025-08-20", False),
    ("IA-04", "Children's placements commissioning", "CHI", "2025-26", "assurance",
     "final report", "no", "2025-09-12", False),
    ("IA-05", "Cyber security", "COR", "2025-26", "assurance", "draft report", "limited",
     None, False),
    (RESTRICTED_ID, RESTRICTED_TITLE, "ADU", "2025-26", "investigation", "final report",
     "limited", "2025-09-01", True),
    ("IA-07", "Fleet management", "PLA", "2025-26", "assurance", "fieldwork", None, None,
     False),
    ("IA-08", "Bus grant certification", "PLA", "2025-26", "grant", "not started", None, None,
     False),
    ("IA-09", "Leisure contract", "PLA", "2025-26", "assurance", "cancelled", None, None, False),
    ("IA-10", "Schools financial value", "CHI", "2025-26", "assurance", "deferred", None, None,
     False),
    ("IA-24", "Housing repairs", "PLA", "2024-25", "assurance", "final report", "limited",
     "2025-05-14", False),
    ("IA-23", "Council tax", "FIN", "2024-25", "assurance", "final report", "no",
     "2025-02-10", False),
]

# id, audit, priority, action, owner, original due, revised due, status, implemented
RECOMMENDATIONS = [
    ("R-01", "IA-03", "high", "Keep a register of all S106 agreements", "Head of Planning",
     "2025-06-30", None, "open", None),
    ("R-02", "IA-04", "high", "Approve every placement above the agreed rate",
     "Head of Commissioning", "2025-05-31", "2025-09-30", "open", None),
    ("R-03", RESTRICTED_ID, "medium", "Restricted action", "Restricted owner", "2025-08-31",
     None, "open", None),
    ("R-04", "IA-02", "low", "Review card limits yearly", "Head of Finance", "2025-07-31", None,
     "open", None),
    ("R-05", "IA-01", "medium", "Reconcile payroll monthly", "Payroll Manager", "2025-07-15",
     None, "implemented", "2025-07-10"),
    ("R-06", "IA-03", "medium", "Report S106 balances to members", "Head of Planning",
     "2025-09-26", None, "open", None),
    ("R-07", "IA-04", "high", "Check every invoice against the placement agreement",
     "Head of Commissioning", "2025-09-01", None, "open", None),
    ("R-08", "IA-02", "low", "Retrain card holders", "Head of Finance", "2025-08-15", None,
     "risk accepted", None),
    ("R-09", "IA-01", "low", "Update the payroll procedure notes", "Payroll Manager",
     "2025-06-30", None, "implemented", "2025-06-20"),
]


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _rating(score: int) -> str:
    return "Very high" if score >= 16 else "High" if score >= 10 else \
        "Medium" if score >= 5 else "Low"


def fill_risks(c) -> None:
    for snap, rows in RISKS.items():
        day = _d(snap)
        for rid, title, register, owner, status, (cl, ci), (tl, ti), review, move, prev in rows:
            il, ii = min(cl + 1, 5), min(ci + 1, 5)
            c.execute(
                "insert into marts.risk_register values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"
                "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                (day, rid, title, register, owner, "Operational", status, il, ii, il * ii, cl, ci,
                 cl * ci, tl, ti, tl * ti, _rating(cl * ci), cl * ci > tl * ti, _d(review),
                 status == "open" and _d(review) < day, move, prev, RISK_SHAS[snap]))


def _engagements(snap: str):
    """The plan as it stood at a snapshot: the June snapshot is earlier in the year."""
    day = _d(snap)
    for row in ENGAGEMENTS:
        aid, title, dcode, plan_year, kind, status, opinion, final, restricted = row
        if snap == "2025-06-27" and aid not in ("IA-01", "IA-24", "IA-23"):
            status, opinion, final = "planning", None, None
        if snap == "2025-06-27" and aid == "IA-01":
            status, opinion, final = "draft report", "substantial", None
        if snap == "2025-10-31" and aid == "IA-07":
            title, status, opinion, final = FUTURE_AUDIT, "final report", "no", "2025-10-20"
        yield (day, aid, title, dcode, plan_year, kind, status, opinion, None, _d(final),
               restricted, status not in ("cancelled", "deferred"))


def fill_audit(c) -> None:
    for snap, sha in ENGAGEMENT_SHAS.items():
        rows = list(_engagements(snap))
        for r in rows:
            c.execute("insert into marts.audit_engagements values "
                      "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", (*r, sha))
        plan = [r for r in rows if r[4] == FY]
        scope = [r for r in plan if r[11]]
        final = [r for r in scope if r[6] == "final report"]
        draft = [r for r in scope if r[6] == "draft report"]
        by = {o: sum(1 for r in final if r[7] == o)
              for o in ("substantial", "reasonable", "limited", "no")}
        c.execute("insert into marts.audit_plan_progress values "
                  "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                  (_d(snap), FY, len(scope), len(final), len(draft),
                   (D(len(final)) * 100 / len(scope)).quantize(D("0.1")),
                   (D(len(draft)) * 100 / len(scope)).quantize(D("0.1")),
                   by["substantial"], by["reasonable"], by["limited"], by["no"],
                   sum(1 for r in scope if r[10]),
                   sum(1 for r in plan if r[6] == "cancelled"),
                   sum(1 for r in plan if r[6] == "deferred")))
    audits = {r[0]: r for r in ENGAGEMENTS}
    for snap, sha in RECOMMENDATION_SHAS.items():
        day = _d(snap)
        rows = []
        for rid, aid, prio, action, owner, orig, rev, status, impl in RECOMMENDATIONS:
            due = _d(rev or orig)
            overdue = status == "open" and due < day
            rows.append((prio, status, due <= day, overdue))
            a = audits[aid]
            c.execute("insert into marts.audit_recommendations values "
                      "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                      (day, rid, aid, a[1], a[2], a[8], prio, action, owner, _d(orig), _d(rev),
                       due, status, _d(impl), due <= day, overdue,
                       (day - due).days if overdue else 0, sha))
        for prio in ("high", "medium", "low"):
            mine = [r for r in rows if r[0] == prio and r[2]]
            implemented = sum(1 for r in mine if r[1] == "implemented")
            overdue = sum(1 for r in mine if r[3])
            open_due = sum(1 for r in mine if r[1] == "open" and not r[3])
            denominator = implemented + overdue + open_due
            c.execute("insert into marts.audit_implementation values (%s,%s,%s,%s,%s,%s,%s)",
                      (day, prio, len(mine), implemented, overdue, open_due,
                       (D(implemented) * 100 / denominator).quantize(D("0.1"))
                       if denominator else None))


FEED_SHAS = {"risk/register": RISK_SHAS, "audit/engagements": ENGAGEMENT_SHAS,
             "audit/recommendations": RECOMMENDATION_SHAS}


def fill_ops(c, feeds=tuple(FEED_SHAS)) -> None:
    """The loaded risk and audit files, as ingestion records them, with current raw rows."""
    meta = "_file_id, _sha256, _line_number, _loaded_at"
    for feed in feeds:
        shas = FEED_SHAS[feed]
        table = "raw." + feed.replace("/", "__")
        for snap, sha in shas.items():
            name = f"{feed.split('/')[1]}_{snap}.{'xlsx' if feed.startswith('risk') else 'csv'}"
            file_id = c.execute(
                "insert into ops.files (sha256, feed, file_name, arrived_at, outcome, rows_read,"
                " rows_loaded, rows_quarantined, size_bytes, archive_path, run_id) values"
                " (%s,%s,%s,'2025-10-31 09:00+00','loaded',10,10,0,1000,'archive/x','ingest-a')"
                " returning file_id", (sha, feed, name)).fetchone()[0]
            c.execute(f"insert into {table} (snapshot_date, {meta}) values (%s,%s,%s,1,now())",
                      (_d(snap), file_id, sha))
    if "risk/register" not in feeds:
        return
    # One quarantined row in the quarter's register file, for the data-quality section.
    c.execute("insert into ops.quarantine (file_id, sha256, feed, line_number, reason, raw) "
              "select file_id, sha256, feed, 7, 'current_impact is not 1-5', '{}' "
              "from ops.files where sha256 = %s", (RISK_SHAS["2025-09-30"],))
    c.execute("update ops.files set rows_quarantined = 1, rows_read = 11 where sha256 = %s",
              (RISK_SHAS["2025-09-30"],))


def build_reports(c) -> None:
    """dbt's report layer over the marts as they now are (report_models.py)."""
    import report_models

    report_models.build(c)


def fill(c) -> None:
    c.execute(RISK_DDL + AUDIT_DDL)
    fill_risks(c)
    fill_audit(c)
    fill_ops(c)
    build_reports(c)


def fill_audit_only(c) -> None:
    """The audit marts and files alone, beside another pack's risk register."""
    c.execute(AUDIT_DDL)
    fill_audit(c)
    fill_ops(c, ("audit/engagements", "audit/recommendations"))
    build_reports(c)


def fill_risk_only(c) -> None:
    """The risk register and its files, with the audit marts empty (no audit file yet)."""
    c.execute(RISK_DDL + AUDIT_DDL)
    fill_risks(c)
    fill_ops(c, ("risk/register",))
    build_reports(c)


INDICATOR_SHA = hashlib.sha256(b"indicator values 2025-09").hexdigest()


def fill_indicators_only(c) -> None:
    """A warehouse holding only indicator data: an indicator file loaded, and the risk and
    audit marts built by dbt but empty, as they are before any risk or audit file."""
    c.execute(RISK_DDL + AUDIT_DDL)
    file_id = c.execute(
        "insert into ops.files (sha256, feed, file_name, arrived_at, outcome, rows_read,"
        " rows_loaded, rows_quarantined, size_bytes, archive_path, run_id) values"
        " (%s,'performance/indicator_values','indicator_values_2025-09.csv',"
        " '2025-10-05 09:00+01','loaded',1,1,0,100,'archive/x','ingest-i') returning file_id",
        (INDICATOR_SHA,)).fetchone()[0]
    c.execute("insert into raw.performance__indicator_values (_file_id, _sha256, _line_number,"
              " _loaded_at) values (%s,%s,1,now())", (file_id, INDICATOR_SHA))
    build_reports(c)


@pytest.fixture(name="audit_marts")
def audit_marts_fixture(conn):
    fill(conn)
    return conn
