"""The risk system: a monthly XLSX export of the corporate and directorate registers.

About 15 corporate risks and 8 per directorate. Scores move a little each month,
a few risks are Very high (current score 16+), a risk is added now and then, one
closes, and some reviews slip past their due date. The export has title rows above
the header, a formula column (Current Score) saved with its cached value, and the
snapshot date sometimes as a real Excel date and sometimes as text.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial

from onecouncil.calendar import FiscalPeriod
from onecouncil.simulate._common import (
    YEAR,
    Landing,
    at,
    insert_bad,
    periods_to,
    rng_for,
    uk,
    working_day_after,
)
from onecouncil.simulate.org import Org

# title, category, inherent (L, I), current (L, I), target (L, I)
_CORPORATE = (
    ("Medium-term financial sustainability", "Financial", (5, 5), (4, 5), (3, 4)),
    ("Demand and cost pressures in adult social care", "Financial", (5, 5), (4, 4), (3, 3)),
    ("Children's placement sufficiency and cost", "Financial", (5, 5), (5, 4), (3, 3)),
    ("Rising demand for temporary accommodation", "Financial", (5, 4), (4, 4), (3, 3)),
    ("Cyber attack or major ICT failure", "Technology", (5, 5), (3, 5), (2, 5)),
    ("Recruitment and retention of key staff", "People", (4, 4), (4, 3), (3, 3)),
    ("Safeguarding failure - children", "Safeguarding", (4, 5), (2, 5), (2, 5)),
    ("Safeguarding failure - adults", "Safeguarding", (4, 5), (2, 5), (2, 5)),
    ("Failure to deliver the housing delivery plan", "Strategic", (4, 4), (3, 4), (2, 3)),
    ("Climate change adaptation and the net zero target", "Environmental", (4, 4), (3, 3), (2, 3)),
    ("Major incident or emergency response", "Operational", (3, 5), (2, 4), (2, 4)),
    ("Information governance and data protection breach", "Legal and compliance", (4, 4), (3, 3),
     (2, 3)),
    ("Failure of a key supplier or care provider", "Operational", (4, 4), (3, 4), (2, 3)),
    ("Health and safety compliance in council buildings", "Legal and compliance", (4, 4), (2, 4),
     (2, 3)),
    ("High needs (SEND) deficit", "Financial", (5, 4), (4, 4), (3, 3)),
)
_DIRECTORATE = {
    "ADS": ("Fragility of the local care market", "Hospital discharge pressures",
            "Social worker vacancies", "Deprivation of liberty assessment backlog",
            "CQC assurance inspection outcome", "Transitions from children's services",
            "Public health grant reductions", "Misuse of direct payments"),
    "CHS": ("Ofsted inspection outcome", "Timeliness of EHC plans",
            "Home to school transport costs", "Use of unregistered placements",
            "Reliance on agency social workers", "Sufficiency of school places",
            "Youth violence and exploitation", "Changes to early years funding"),
    "ENP": ("Renewal of the waste collection contract", "Deterioration of highway condition",
            "Winter maintenance resilience", "Building compliance backlog",
            "Delays to fleet replacement", "Ash dieback", "Voids in the commercial estate",
            "Energy price volatility"),
    "HRG": ("Escalating temporary accommodation costs", "Increase in rough sleeping",
            "Slippage in affordable housing delivery", "Standards in the private rented sector",
            "Viability of regeneration schemes", "Housing register backlog",
            "Disabled facilities grant delays", "Homes England funding conditions"),
    "PLP": ("Planning performance designation", "City Plan 2050 examination",
            "Planning fee income shortfall", "Leisure contract viability",
            "Economic downturn and the city centre", "Costs of planning appeals",
            "Building control staffing", "Section 106 contributions not collected"),
    "FIN": ("Council tax collection rates", "Delivery of budget savings",
            "Procurement compliance", "Legacy ICT systems", "Payroll system failure",
            "Treasury management losses", "Adequacy of the insurance fund",
            "Business rates appeals"),
    "LAG": ("Delivery of elections", "Legal service capacity",
            "Compliance with the constitution in decision-making",
            "Backlog of information requests", "Counter-fraud capacity", "Records management",
            "Delivery of the internal audit plan", "Member conduct complaints"),
    "STE": ("Contact centre demand", "Website accessibility compliance",
            "Community cohesion tensions", "Reputational damage from communications",
            "Sustainability of voluntary sector funding", "Library service transformation",
            "Community safety partnership funding", "Data quality in performance reporting"),
}
_CATEGORIES = ("Financial", "Operational", "People", "Reputational", "Legal and compliance",
               "Technology", "Strategic", "Safeguarding")
_CONTROLS = ("Monthly monitoring at directorate leadership team",
             "Budget recovery plan and spending controls",
             "Business continuity plans tested annually",
             "Quality assurance framework and audits",
             "Contract management and supplier resilience checks",
             "Recruitment and retention strategy")
_ACTIONS = ("Deliver the improvement plan by the end of the quarter",
            "Report to Cabinet with options",
            "Commission an independent review",
            "Recruit to vacant posts; reduce agency reliance",
            "Refresh the strategy and action plan")

HEADER = ["Snapshot Date", "Risk ID", "Risk Title", "Register", "Owner", "Category",
          "Inherent Likelihood", "Inherent Impact", "Current Likelihood", "Current Impact",
          "Current Score", "Target Likelihood", "Target Impact", "Next Review Due",
          "Last Reviewed", "Status", "Controls", "Actions"]
_SCORE_COL = HEADER.index("Current Score")


def _month_risks(org: Org, seed: int) -> list[list[dict]]:
    """The register at each month end of the year (index 0 = April)."""
    rng = rng_for(seed, "risk")
    directors = {d.code: d.director for d in org.directorates}
    heads = {d.code: [s.head for s in org.services_of(d.code)] for d in org.directorates}
    risks: list[dict] = []
    for n, (title, cat, inh, cur, tgt) in enumerate(_CORPORATE, 1):
        d = org.directorates[n % len(org.directorates)].code
        risks.append({"id": f"CR{n:02d}", "title": title, "register": "corporate",
                      "owner": directors[d], "category": cat, "inh": inh, "cur": list(cur),
                      "tgt": tgt, "status": "open", "added": 0, "closed": None,
                      "cycle": 1, "slack": rng.random()})
    for d, titles in _DIRECTORATE.items():
        for n, title in enumerate(titles, 1):
            il, ii = int(rng.integers(3, 6)), int(rng.integers(3, 6))
            cl, ci = max(1, il - int(rng.integers(0, 3))), max(1, ii - int(rng.integers(0, 2)))
            while cl * ci >= 16 and title != "Escalating temporary accommodation costs":
                cl -= 1  # Very high risks belong on the corporate register, bar one
            if title == "Escalating temporary accommodation costs":
                il, ii, cl, ci = 5, 4, 4, 4
            tl, ti = max(1, cl - int(rng.integers(0, 2))), max(1, ci - int(rng.integers(0, 2)))
            risks.append({"id": f"{d}-R{n:02d}", "title": title, "register": d,
                          "owner": heads[d][int(rng.integers(len(heads[d])))],
                          "category": _CATEGORIES[int(rng.integers(len(_CATEGORIES)))],
                          "inh": (il, ii), "cur": [cl, ci], "tgt": (tl, ti), "status": "open",
                          "added": 0 if n <= 7 else int(rng.integers(1, 9)), "closed": None,
                          "cycle": 3, "slack": rng.random()})
    # one risk closes in August, and is gone from September
    risks[-3]["closed"] = 4
    months: list[list[dict]] = []
    for m in range(12):
        end = FiscalPeriod(YEAR, m + 1).last_day
        snap = []
        for r in risks:
            if r["added"] > m or (r["closed"] is not None and m > r["closed"]):
                continue
            if m > 0 and rng.random() < 0.12:  # scores move
                axis = int(rng.integers(2))
                step = 1 if rng.random() < 0.4 else -1
                lo = r["tgt"][axis]
                moved = list(r["cur"])
                moved[axis] = min(r["inh"][axis], max(lo, moved[axis] + step))
                if r["register"] == "corporate" or moved[0] * moved[1] < 16:
                    r["cur"] = moved
            reviewed = end - timedelta(days=int(rng.integers(3, 28 if r["cycle"] == 1 else 80)))
            due = reviewed + timedelta(days=31 * r["cycle"])
            if r["slack"] > 0.92:  # a few reviews slip
                due = end - timedelta(days=int(rng.integers(5, 60)))
            snap.append({**r, "cur": tuple(r["cur"]), "reviewed": reviewed, "due": due,
                         "status": "closed" if r["closed"] == m else "open"})
        months.append(snap)
    return months


def write_register(landing: Landing, org: Org, through: FiscalPeriod, seed: int) -> None:
    months = _month_risks(org, seed)
    for fp in periods_to(through):
        p = fp.period
        end = fp.last_day
        rng = rng_for(seed, "risk-file", p)
        exported = working_day_after(end, 2)
        text_dates = p % 2 == 0
        snap_value: object = uk(end) if text_dates else datetime(end.year, end.month, end.day)
        rows = []
        for r in months[p - 1]:
            rows.append([
                snap_value, r["id"], r["title"], r["register"], r["owner"], r["category"],
                r["inh"][0], r["inh"][1], r["cur"][0], r["cur"][1], None,
                r["tgt"][0], r["tgt"][1], _dt(r["due"]), _dt(r["reviewed"]), r["status"],
                _CONTROLS[hash_index(r["id"], len(_CONTROLS))],
                _ACTIONS[hash_index(r["id"] + str(p // 3), len(_ACTIONS))],
            ])
        items = []
        kinds = ["likelihood out of range", "duplicate risk", "missing owner"]
        for k in range(1 + p % 2):
            kind = kinds[(p + k) % 3]
            j = int(rng.integers(len(rows)))
            row = list(rows[j])
            if kind == "duplicate risk":
                items.append((row, f"second row for risk {row[1]}", j))
                continue
            row[1] = f"{row[1]}-X"
            if kind == "likelihood out of range":
                row[8] = 6
                items.append((row, "current_likelihood 6 outside 1-5", -1))
            else:
                row[4] = None
                items.append((row, "missing required owner", -1))
        rows, bad = insert_bad(rng, rows, items)

        first_data = 5  # three title rows (one blank), then the header on row 4
        cached = {k: rows[k][8] * rows[k][9] for k in range(len(rows))}
        summary = None
        if p == 2:
            open_risks = sum(1 for r in months[p - 1] if r["status"] == "open")
            summary = ("Summary", [["Milton Keynes City Council - Risk Register summary"],
                                   [f"Open risks: {open_risks}"],
                                   ["See the 'register' sheet for the full register."]])
        landing.write_xlsx(
            "risk/register", f"Risk_Register_Export_{end:%Y-%m-%d}.xlsx", HEADER, rows,
            arrived_at=at(working_day_after(end, 3), 8, 0),
            sheet_title="register" if summary else "Risk Register",
            title_rows=[["Milton Keynes City Council - Risk Register"],
                        [f"Exported {uk(exported)}"], []],
            first_sheet=summary,
            formulas={_SCORE_COL: partial(_score, cached=cached, first=first_data)},
            bad=bad,
            note=" ".join(filter(None, (
                "Title rows above the header; Current Score is a formula with a cached value;",
                "snapshot_date as text." if text_dates else "snapshot_date as an Excel date.",
                "A 'Summary' sheet comes first: the data is on the sheet named 'register'."
                if summary else ""))),
        )
    landing.say(f"risk register: {len(periods_to(through))} files")


def _score(excel_row: int, cached: dict[int, int], first: int) -> tuple[str, int]:
    """The Current Score formula of a row, with the value Excel would have cached."""
    return f"I{excel_row}*J{excel_row}", cached[excel_row - first]


def _dt(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


def hash_index(text: str, n: int) -> int:
    return sum(ord(c) for c in text) % n
