"""The internal audit system: the plan's engagements and the agreed recommendations.

About 75 audits in the 2025-26 plan move through planning, fieldwork, draft and
final report over the months (a few deferred or cancelled); finals carry an
opinion. Last year's finalised audits are listed too, because most open
recommendations come from them. One engagement is a restricted investigation.
Both files are monthly snapshots.
"""

from __future__ import annotations

from datetime import date, timedelta

from onecouncil.calendar import FiscalPeriod
from onecouncil.simulate._common import (
    PRIOR_YEAR,
    YEAR,
    Landing,
    at,
    insert_bad,
    iso,
    periods_to,
    rng_for,
    uk,
    working_day_after,
)
from onecouncil.simulate.org import Org

# title, directorate, type
_AUDITS = (
    ("Payroll", "FIN", "assurance"), ("Accounts Payable", "FIN", "assurance"),
    ("Council Tax", "FIN", "assurance"), ("Business Rates", "FIN", "assurance"),
    ("Housing Benefit", "FIN", "assurance"), ("Treasury Management", "FIN", "assurance"),
    ("Main Accounting System", "FIN", "assurance"), ("Purchasing Cards", "FIN", "assurance"),
    ("Contract Management - Waste Collection", "ENP", "assurance"),
    ("Direct Payments", "ADS", "assurance"), ("Care Act Assessments", "ADS", "assurance"),
    ("Deprivation of Liberty Safeguards", "ADS", "assurance"),
    ("Client Financial Affairs", "ADS", "assurance"),
    ("Home to School Transport", "CHS", "assurance"), ("SEND Top-up Funding", "CHS", "assurance"),
    ("Foster Carer Payments", "CHS", "assurance"), ("Supporting Families Grant", "CHS", "grant"),
    ("Disabled Facilities Grant", "HRG", "grant"), ("Bus Service Operators Grant", "ENP", "grant"),
    ("Highways Maintenance Contract", "ENP", "assurance"), ("Fleet Management", "ENP", "assurance"),
    ("Parking Income", "ENP", "assurance"), ("Licensing", "ENP", "assurance"),
    ("Temporary Accommodation Placements", "HRG", "assurance"),
    ("Homelessness Prevention Grant", "HRG", "grant"), ("Right to Buy", "HRG", "assurance"),
    ("Planning Fees and Section 106", "PLP", "assurance"), ("Building Control", "PLP", "assurance"),
    ("Cyber Security", "FIN", "assurance"), ("IT Asset Management", "FIN", "assurance"),
    ("Data Protection Compliance", "LAG", "assurance"),
    ("Business Continuity", "LAG", "assurance"), ("Risk Management", "LAG", "assurance"),
    ("Corporate Governance", "LAG", "assurance"), ("Members' Allowances", "LAG", "assurance"),
    ("Health and Safety", "FIN", "assurance"), ("Recruitment and DBS Checks", "FIN", "assurance"),
    ("Agency Staff", "FIN", "assurance"), ("Leisure Contract", "PLP", "assurance"),
    ("Libraries Income", "STE", "assurance"), ("Community Grants", "STE", "assurance"),
    ("CCTV", "STE", "assurance"), ("Complaints Handling", "STE", "assurance"),
    ("Schools Financial Value Standard", "CHS", "assurance"),
    ("Children's Residential Placements", "CHS", "assurance"),
    ("Adult Social Care Commissioning", "ADS", "assurance"),
    ("Public Health Contracts", "ADS", "assurance"), ("Capital Programme Governance", "FIN",
     "assurance"),
    ("Procurement Compliance", "FIN", "assurance"), ("Debt Recovery", "FIN", "assurance"),
    ("Commercial Property Rents", "ENP", "assurance"), ("Energy Management", "ENP", "assurance"),
    ("Waste Disposal Contract", "ENP", "assurance"), ("Private Sector Housing Enforcement", "HRG",
     "assurance"),
    ("Housing Register Allocations", "HRG", "assurance"), ("Regeneration Programme Governance",
     "HRG", "advisory"),
    ("Local Plan Programme", "PLP", "advisory"), ("Economic Development Grants", "PLP", "grant"),
    ("Elections Expenses", "LAG", "assurance"), ("Legal Case Management", "LAG", "assurance"),
    ("Information Requests (FOI and SAR)", "LAG", "assurance"), ("Customer Contact Centre", "STE",
     "assurance"),
    ("Performance Data Quality", "STE", "assurance"), ("Safeguarding Adults Board Arrangements",
     "ADS", "advisory"),
    ("Youth Offending Service", "CHS", "assurance"), ("Early Years Funding", "CHS", "assurance"),
    ("Fire Safety in Council Buildings", "ENP", "assurance"), ("Grounds Maintenance Contract",
     "ENP", "assurance"),
    ("Follow-up: Purchasing Cards", "FIN", "follow-up"), ("Follow-up: Direct Payments", "ADS",
     "follow-up"),
    ("Follow-up: Temporary Accommodation Placements", "HRG", "follow-up"),
    ("Follow-up: Cyber Security", "FIN", "follow-up"), ("Follow-up: Home to School Transport",
     "CHS", "follow-up"),
    ("New Finance System Implementation", "FIN", "advisory"),
)
_ACTION_TEXT = (
    "Introduce a monthly reconciliation, reviewed and signed off by a manager.",
    "Update the procedure notes and train staff on them.",
    "Carry out and record supervisory checks on a sample of cases each month.",
    "Remove leavers' system access within five working days of leaving.",
    "Agree and document the contract's performance indicators and review them quarterly.",
    "Record the reason for every exception and have it authorised.",
    "Review the register of interests annually and publish it.",
    "Chase overdue debts in line with the corporate debt policy.",
    "Keep evidence of eligibility checks on file for every award.",
    "Test the business continuity plan and report the results.",
)
_OPINIONS = ("substantial", "reasonable", "limited", "no")


def _plan(seed: int) -> list[dict]:
    rng = rng_for(seed, "audit")
    audits = []
    for n, (title, d, kind) in enumerate(_AUDITS, 1):
        start = 1 + int(rng.integers(0, 10))  # fiscal month planning starts
        audits.append({
            "id": f"IA25-{n:03d}", "title": title, "d": d, "type": kind, "year": str(YEAR),
            "start": start, "field": start + 1, "draft": start + 2 + int(rng.integers(0, 2)),
            "final": None, "restricted": False,
            "opinion": None if kind in ("grant", "advisory") else str(rng.choice(
                _OPINIONS, p=[0.15, 0.55, 0.25, 0.05])),
            "days": int(rng.integers(6, 26)), "fate": None,
        })
        audits[-1]["final"] = audits[-1]["draft"] + int(rng.integers(1, 3))
    for k in rng.choice(len(audits), size=3, replace=False):
        audits[int(k)]["fate"] = ("deferred", 3 + int(rng.integers(0, 4)))
    for k in rng.choice(len(audits), size=2, replace=False):
        if audits[int(k)]["fate"] is None:
            audits[int(k)]["fate"] = ("cancelled", 2 + int(rng.integers(0, 5)))
    audits.append({"id": f"IA25-{len(audits) + 1:03d}", "title": "Special investigation",
                   "d": "ENP", "type": "investigation", "year": str(YEAR), "start": 2,
                   "field": 3, "draft": 7, "final": 8, "restricted": True, "opinion": None,
                   "days": 30, "fate": None})
    # last year's finalised audits (their recommendations are still being implemented)
    for n in range(1, 36):
        title, d, kind = _AUDITS[int(rng.integers(len(_AUDITS)))]
        final = date(2024, 6, 1) + timedelta(days=int(rng.integers(0, 330)))
        audits.append({
            "id": f"IA24-{n:03d}", "title": title, "d": d, "type": "assurance",
            "year": str(PRIOR_YEAR), "start": -12, "field": -11, "draft": -10, "final": -9,
            "final_date": final, "restricted": False,
            "opinion": str(rng.choice(_OPINIONS, p=[0.1, 0.55, 0.3, 0.05])),
            "days": int(rng.integers(8, 22)), "fate": None,
        })
    return audits


def _status(a: dict, m: int) -> str:
    """Status at the end of fiscal month m (1 = April)."""
    if a["fate"] is not None and m >= a["fate"][1]:
        return a["fate"][0]
    if m >= a["final"]:
        return "final report"
    if m >= a["draft"]:
        return "draft report"
    if m >= a["field"]:
        return "fieldwork"
    if m >= a["start"]:
        return "planning"
    return "not started"


def _month_date(m: int, day: int = 15) -> date:
    """A day in fiscal month m of 2025-26 (m may be <= 0 for last year)."""
    y, mm = divmod(3 + m - 1, 12)
    return date(2025 + y, mm + 1, day)


def _final_date(a: dict) -> date:
    return a.get("final_date") or _month_date(a["final"], 22)


def _recommendations(audits: list[dict], org: Org, seed: int) -> list[dict]:
    rng = rng_for(seed, "audit-recs")
    heads = {d.code: [s.head for s in org.services_of(d.code)] for d in org.directorates}
    recs = []
    n = 0
    for a in audits:
        if a["opinion"] not in ("reasonable", "limited", "no") or a["restricted"]:
            continue
        if a["fate"] is not None:
            continue
        count = {"reasonable": 2, "limited": 4, "no": 6}[a["opinion"]] + int(rng.integers(0, 2))
        final = _final_date(a)
        for _ in range(count):
            n += 1
            pr = str(rng.choice(("high", "medium", "low"), p=(0.25, 0.5, 0.25)))
            due = final + timedelta(days=int(rng.integers(60, 270)))
            revised = None
            if rng.random() < 0.15:
                revised = due + timedelta(days=int(rng.integers(45, 150)))
            effective = revised or due
            done = rng.random()
            if done < 0.62:  # implemented around its due date
                implemented = effective + timedelta(days=int(rng.integers(-50, 40)))
                implemented = max(implemented, final + timedelta(days=14))
            else:
                implemented = None
            recs.append({
                "id": f"REC-{n:04d}", "audit": a["id"], "priority": pr,
                "action": _ACTION_TEXT[int(rng.integers(len(_ACTION_TEXT)))],
                "owner": heads[a["d"]][int(rng.integers(len(heads[a["d"]])))],
                "final": final, "due": due, "revised": revised,
                "revised_on": due - timedelta(days=int(rng.integers(5, 30))),
                "implemented": implemented, "accepted": done > 0.97,
            })
    return recs


def write_audit(landing: Landing, org: Org, through: FiscalPeriod, seed: int) -> None:
    audits = _plan(seed)
    recs = _recommendations(audits, org, seed)
    eng_header = ["snapshot_date", "audit_id", "audit_title", "directorate_code", "plan_year",
                  "audit_type", "status", "assurance_opinion", "planned_days", "actual_days",
                  "draft_issued", "final_issued", "restricted"]
    rec_header = ["snapshot_date", "recommendation_id", "audit_id", "priority", "agreed_action",
                  "action_owner", "original_due_date", "revised_due_date", "status",
                  "implemented_date"]
    for fp in periods_to(through):
        m = fp.period
        snap = fp.last_day
        rng = rng_for(seed, "audit-file", m)
        rows = []
        for a in audits:
            st = _status(a, m)
            draft = _month_date(a["draft"], 20) if st in ("draft report", "final report") else None
            final = _final_date(a) if st == "final report" else None
            if a["year"] != str(YEAR):
                draft, final = a["final_date"] - timedelta(days=21), a["final_date"]
            share = {"not started": 0, "planning": 0.15, "fieldwork": 0.6, "draft report": 0.95,
                     "final report": 1.05, "deferred": 0.1, "cancelled": 0.05}[st]
            rows.append([
                uk(snap), a["id"],
                a["title"] if not a["restricted"] else "Investigation (restricted)",
                a["d"], a["year"], a["type"], st,
                (a["opinion"] or "") if st == "final report" else "",
                str(a["days"]), f"{a['days'] * share:.1f}" if share else "",
                uk(draft), uk(final), "Y" if a["restricted"] else "N",
            ])
        items = []
        if m % 2 == 1:
            j = int(rng.integers(len(rows)))
            row = list(rows[j])
            row[1] = f"IA25-9{m:02d}"
            row[5] = "consultancy"
            items.append((row, "audit_type 'consultancy' outside the allowed set", -1))
        rows, bad = insert_bad(rng, rows, items)
        arrived = at(working_day_after(snap, 4), 9, 0)
        landing.write_csv(
            "audit/engagements", f"IA_Plan_Status_{snap:%Y-%m-%d}.csv", eng_header, rows,
            arrived_at=arrived, bad=bad,
            note="Monthly snapshot of the 2025-26 plan plus last year's finalised audits; "
                 "one restricted investigation.")
        rec_rows = []
        for r in recs:
            if r["final"] > snap:
                continue
            if r["implemented"] is not None and r["implemented"] <= snap:
                status, impl = "implemented", r["implemented"]
            elif r["accepted"] and r["due"] <= snap:
                status, impl = "risk accepted", None
            else:
                status, impl = "open", None
            revised = r["revised"] if r["revised"] is not None and r["revised_on"] <= snap else None
            rec_rows.append([iso(snap), r["id"], r["audit"], r["priority"], r["action"],
                             r["owner"], iso(r["due"]), iso(revised), status, iso(impl)])
        items = []
        kinds = ["priority outside set", "missing owner", "duplicate"]
        for k in range(1 + (m % 3 == 0)):
            kind = kinds[(m + k) % 3]
            j = int(rng.integers(len(rec_rows)))
            row = list(rec_rows[j])
            if kind == "duplicate":
                items.append((row, f"second row for recommendation {row[1]}", j))
                continue
            row[1] = f"REC-9{m:02d}{k}"
            if kind == "priority outside set":
                row[3] = "critical"
                items.append((row, "priority 'critical' outside high/medium/low", -1))
            else:
                row[5] = ""
                items.append((row, "missing required action_owner", -1))
        rec_rows, bad = insert_bad(rng, rec_rows, items)
        landing.write_csv(
            "audit/recommendations", f"IA_Recommendations_{snap:%Y-%m-%d}.csv", rec_header,
            rec_rows, arrived_at=arrived.replace(minute=5), bad=bad,
            note="Monthly snapshot of agreed actions: some overdue, some with revised due dates.")
    landing.say(f"audit: {len(periods_to(through))} snapshots")

