"""The finance ERP: reference data, ledger, budget, forecast, payments and capital.

The finance story lives here. Each cost centre has a budget; its forecast drifts
from the budget as the year goes on (Adult social care, Children's placements and
Temporary accommodation overspend; Planning policy, Procurement and ICT
underspend; most cost centres hold to budget); the ledger's monthly actuals are
the forecast outturn spread over the year, so the year to date accumulates
toward the forecast.

Money is held as integer pence, so control totals are exact.
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np

from onecouncil.calendar import FiscalPeriod
from onecouncil.simulate import org as org_mod
from onecouncil.simulate._common import (
    COUNCIL_NAME,
    YEAR,
    Bad,
    Landing,
    LandingFile,
    at,
    insert_bad,
    invalid_date,
    iso,
    parse_amount,
    pence_to_str,
    periods_to,
    quarter_snapshots,
    rng_for,
    uk,
    us_date,
    working_day_after,
    working_days,
)
from onecouncil.simulate.org import Org

UNKNOWN_COST_CENTRE = "CC9999"
UNKNOWN_ACCOUNT = "49990"
MONTHS = [_cal.month_abbr[m] for m in range(13)]


# ----------------------------------------------------------------------------- reference

def write_reference(landing: Landing, org: Org) -> None:
    arrive = date(2025, 3, 31)
    landing.write_csv(
        "reference/directorates", "MKCC_directorates_20250331.csv",
        ["directorate_code", "directorate_name", "director"],
        [[d.code, d.name, d.director] for d in org.directorates],
        arrived_at=at(arrive, 6, 0), note="Organisation: directorates.",
    )
    landing.write_csv(
        "reference/services", "MKCC_services_20250331.csv",
        ["service_code", "service_name", "directorate_code", "head_of_service"],
        [[s.code, s.name, s.directorate, s.head] for s in org.services],
        arrived_at=at(arrive, 6, 1), note="Organisation: services (heads of service).",
    )
    landing.write_csv(
        "reference/cost_centres", "MKCC_cost_centres_20250331.csv",
        ["cost_centre", "cost_centre_name", "service_code", "budget_manager", "active_from",
         "active_to"],
        [[c.code, c.name, c.service, c.manager, uk(c.active_from), uk(c.active_to)]
         for c in org.cost_centres],
        arrived_at=at(arrive, 6, 2),
        note=f"{sum(1 for c in org.cost_centres if not c.active)} cost centres closed before "
             f"2025-26 (active_to set); {UNKNOWN_COST_CENTRE} is deliberately absent.",
    )
    landing.write_csv(
        "reference/accounts", "MKCC_chart_of_accounts_20250331.csv",
        ["account_code", "account_name", "account_group", "account_type"],
        [[a.code, a.name, a.group, a.type] for a in org.accounts],
        arrived_at=at(arrive, 6, 3), note="Chart of accounts.",
    )


# ----------------------------------------------------------------------------- budget

@dataclass
class Budget:
    cc: np.ndarray  # index into org.cost_centres
    acct: np.ndarray  # index into org.accounts
    original: np.ndarray  # pence
    current: np.ndarray  # pence
    income: np.ndarray  # bool


# (group, service) -> (its accounts, the service's usual ones); the chart of accounts is fixed
_CANDIDATES: dict[tuple[str, str], tuple[list[int], list[int]]] = {}


def _pick_accounts(rng, org: Org, group: str, service: org_mod.Service, n: int) -> list[int]:
    """n accounts of a group for a cost centre: the service's usual ones when it has any
    (a care service posts to care accounts), else any of the group."""
    key = (group, service.name)
    if key not in _CANDIDATES:
        idx = [i for i, a in enumerate(org.accounts) if a.group == group]
        hints = (org_mod.SERVICE_INCOME_HINTS if group == "Income" else
                 org_mod.SERVICE_ACCOUNT_HINTS).get(service.name, ())
        preferred = [i for i in idx if any(h in org.accounts[i].name for h in hints)]
        _CANDIDATES[key] = (idx, preferred)
    idx, preferred = _CANDIDATES[key]
    pool = preferred or idx
    chosen = rng.choice(len(pool), size=min(n, len(pool)), replace=False)
    return [pool[int(i)] for i in chosen]


def build_budget(org: Org, seed: int) -> Budget:
    rng = rng_for(seed, "budget")
    acct_index = {a.name: i for i, a in enumerate(org.accounts)}
    rows: list[tuple[int, int, int, bool]] = []
    ccs = org.cost_centres
    for s in org.services:
        members = [i for i, c in enumerate(ccs) if c.service == s.code and c.active]
        has_income = rng.random(len(members)) < 0.7
        if s.income > 0 and not has_income.any():
            has_income[0] = True
        inc_w = np.array([ccs[i].weight for i in members]) * has_income
        inc_w = inc_w / inc_w.sum() if inc_w.sum() > 0 else inc_w
        profile = org_mod.PROFILE[s.kind]
        groups = list(profile)
        for k, i in enumerate(members):
            gross = s.gross * ccs[i].weight
            shares = rng.dirichlet(np.array([profile[g] for g in groups]) * 40)
            for g, share in zip(groups, shares):
                money = gross * share
                if g == "Employees":
                    sal = ("Salaries - Social Workers", "Salaries - Care Workers",
                           "Salaries - Occupational Therapists") if s.kind == "care" else (
                        "Salaries - Scale 7-9", "Salaries - Scale 1-6", "Salaries - Scale 10-12")
                    picks = [acct_index[sal[int(rng.integers(3))]],
                             acct_index["Employer's National Insurance"],
                             acct_index["Employer's Pension Contributions"]]
                    weights = [0.74, 0.10, 0.16]
                    if rng.random() < 0.3:
                        extra = ("Agency Staff - Social Workers" if s.kind == "care" else
                                 ("Agency Staff - Professional", "Overtime", "Training Courses",
                                  "Car Allowances")[int(rng.integers(4))])
                        picks.append(acct_index[extra])
                        weights = [0.66, 0.09, 0.14, 0.11]
                else:
                    n = {"Third Party Payments": 3, "Supplies and Services": 2, "Premises": 2,
                         "Transport": 1, "Support Services": 1, "Transfer Payments": 3,
                         "Capital Financing": 2}[g]
                    n = max(1, n - int(rng.integers(0, 2)))
                    picks = _pick_accounts(rng, org, g, s, n)
                    if not picks:
                        continue
                    weights = list(rng.dirichlet(np.full(len(picks), 1.5)))
                for a, w in zip(picks, weights):
                    pounds = round(money * w / 100) * 100
                    if pounds:
                        rows.append((i, a, pounds * 100, False))
            if s.income > 0 and has_income[k]:
                income = s.income * inc_w[k]
                picks = _pick_accounts(rng, org, "Income", s, 2 if rng.random() < 0.5 else 1)
                if not picks:
                    picks = [acct_index[("Fees and Charges - General", "Sales",
                                         "Contributions from Partners", "Other Government Grants",
                                         "Miscellaneous Income")[int(rng.integers(5))]]]
                weights = rng.dirichlet(np.full(len(picks), 2.0))
                for a, w in zip(picks, weights):
                    pounds = round(income * w / 100) * 100
                    if pounds:
                        rows.append((i, a, -pounds * 100, True))
    # merge accidental repeats of (cost centre, account)
    merged: dict[tuple[int, int], list] = {}
    for i, a, p, inc in rows:
        key = (i, a)
        if key in merged:
            merged[key][0] += p
        else:
            merged[key] = [p, inc]
    keys = list(merged)
    cc = np.array([k[0] for k in keys])
    acct = np.array([k[1] for k in keys])
    original = np.array([merged[k][0] for k in keys], dtype=np.int64)
    income = np.array([merged[k][1] for k in keys])
    current = original.copy()
    # Virements: move money between expenditure lines of the same directorate.
    directorate = np.array([org.service(ccs[i].service).directorate for i in cc])
    exp_lines = np.flatnonzero(~income)
    for j in rng.choice(exp_lines, size=len(keys) // 40, replace=False):
        partners = exp_lines[(directorate[exp_lines] == directorate[j]) & (exp_lines != j)]
        k = int(rng.choice(partners))
        move = int(round(original[j] * rng.uniform(0.03, 0.15) / 10000)) * 10000
        current[j] -= move
        current[k] += move
    return Budget(cc, acct, original, current, income)


def write_budget(landing: Landing, org: Org, budget: Budget) -> None:
    rows = [
        [str(YEAR), org.cost_centres[i].code, org.accounts[a].code,
         pence_to_str(int(o)), pence_to_str(int(c))]
        for i, a, o, c in zip(budget.cc, budget.acct, budget.original, budget.current)
    ]
    landing.write_csv(
        "finance/budget", "Revenue_Budget_2025-26.csv",
        ["fiscal_year", "cost_centre", "account_code", "original_budget", "current_budget"],
        rows, arrived_at=at(date(2025, 4, 1), 7, 0),
        note="Approved 2025-26 budget with early virements (current differs from original on "
             "some lines; virements net to zero within a directorate).",
        extra={"net_current_budget": pence_to_str(int(budget.current.sum()))},
    )


# ----------------------------------------------------------------------------- forecast plan

@dataclass
class Plan:
    """Each cost centre's forecast variance (share of its gross budget) per period."""

    budget: Budget
    net: np.ndarray  # pence, current net budget per cost centre (index into org.cost_centres)
    gross: np.ndarray  # pence, current expenditure budget per cost centre
    variance: np.ndarray  # [n_cc, 13] share of gross; column p = period p
    never_submits: set[int]
    late_prone: set[int]

    def forecast(self, i: int, p: int) -> int:
        f = self.variance[i, p]
        if f == 0:
            return int(self.net[i])
        return int(self.net[i] + round(f * self.gross[i] / 10000) * 10000)


def build_plan(org: Org, budget: Budget, seed: int) -> Plan:
    rng = rng_for(seed, "forecast-story")
    n = len(org.cost_centres)
    net = np.bincount(budget.cc, weights=budget.current, minlength=n).round().astype(np.int64)
    gross = np.bincount(budget.cc, weights=np.where(budget.income, 0, budget.current),
                        minlength=n).round().astype(np.int64)
    var = np.zeros((n, 13))
    periods = np.arange(13)
    ramp = np.clip(0.55 + 0.45 * (periods - 1) / 5, 0, 1) + 0.015 * np.maximum(0, periods - 6)
    for i, c in enumerate(org.cost_centres):
        if not c.active:
            continue
        s = org.service(c.service)
        walk = np.cumsum(rng.normal(0, 0.0015, 13))
        if s.story == 0 and (s.gross - s.income) < 0.3 * s.gross:
            continue  # grant- or fee-funded services report on budget
        if s.story != 0:
            if rng.random() < 0.2:
                continue  # on budget even in a pressured service
            factor = rng.gamma(2.0, 0.5)
            var[i] = s.story * factor * ramp + walk * (abs(s.story) > 0.02)
        else:
            r = rng.random()
            start = int(rng.integers(1, 9))
            if r < 0.72:
                continue
            elif r < 0.84:
                var[i] = rng.normal(0, 0.002) + walk * 0.5
            elif r < 0.93:
                var[i] = np.where(periods >= start, rng.uniform(0.006, 0.03) + walk, 0)
            else:
                var[i] = np.where(periods >= start, rng.uniform(-0.05, -0.008) + walk, 0)
        var[i, 0] = 0
    active = [i for i, c in enumerate(org.cost_centres) if c.active]
    never = set(int(i) for i in rng.choice(active, size=6, replace=False))
    late = set(int(i) for i in rng.choice([i for i in active if i not in never], size=25,
                                          replace=False))
    return Plan(budget, net, gross, var, never, late)


# ----------------------------------------------------------------------------- ledger

LEDGER_HEADER = ["Trans No", "Posting Date", "Fiscal Year", "Period", "Cost Centre",
                 "Account Code", "Net Amount", "Supplier ID", "Supplier Name", "Description"]
_LINE_WEIGHT = {"Employees": 1.0, "Premises": 1.5, "Transport": 1.5, "Supplies and Services": 4.0,
                "Third Party Payments": 3.5, "Transfer Payments": 3.0, "Support Services": 0.15,
                "Capital Financing": 0.1, "Income": 1.5}


class SupplierPicker:
    """Suppliers by trade, popular ones more often (Zipf-like)."""

    def __init__(self, org: Org) -> None:
        self.by_trade: dict[str, list[org_mod.Supplier]] = {}
        for s in org.suppliers:
            self.by_trade.setdefault(s.trade, []).append(s)
        self.p = {t: (1 / (np.arange(len(v)) + 4)) / (1 / (np.arange(len(v)) + 4)).sum()
                  for t, v in self.by_trade.items()}

    def pick(self, rng, trade: str, n: int) -> list[org_mod.Supplier]:
        pool = self.by_trade[trade]
        return [pool[i] for i in rng.choice(len(pool), size=n, p=self.p[trade])]


def _trade_for(service: org_mod.Service, account: org_mod.Account) -> str | None:
    g = account.group
    if g == "Third Party Payments":
        return "housing" if service.kind == "ta" else "care"
    if g == "Premises":
        return "housing" if service.kind == "ta" and "Temporary" in account.name else "property"
    if g == "Transport":
        return "transport"
    if g == "Supplies and Services":
        if account.name.startswith(("ICT", "Software", "Data Lines", "Telephones")):
            return "ict"
        if account.name.startswith(("Consult", "Legal", "Barrister", "Expert", "Audit", "Survey")):
            return "professional"
        return "goods"
    if g == "Employees" and account.name.startswith(("Agency", "Recruitment", "Training")):
        return "professional"
    return None


def _ledger_lines(org: Org, plan: Plan, p: int, scale: float, seed: int,
                  pick: SupplierPicker) -> dict[str, list]:
    """The regular (good) lines of period p, sorted, with transaction ids."""
    rng = rng_for(seed, "ledger", p)
    b = plan.budget
    fp = FiscalPeriod(YEAR, p)
    first, last = fp.first_day, fp.last_day
    wdays = working_days(first, last)
    # Full-year outturn per budget line at this period's forecast, then a month of it.
    delta = np.array([plan.variance[i, p] for i in b.cc]) * plan.gross[b.cc]
    kinds = np.array([org.service(org.cost_centres[i].service).kind for i in b.cc])
    fees = (kinds == "fees") & (delta > 0)
    exp_total = np.bincount(b.cc, weights=np.where(b.income, 0, b.current), minlength=len(plan.net))
    inc_total = np.bincount(b.cc, weights=np.where(b.income, -b.current, 0),
                            minlength=len(plan.net))
    on_income = fees & (inc_total[b.cc] > 0)
    share = np.where(
        on_income,
        np.where(b.income, -b.current / np.where(inc_total[b.cc] == 0, 1, inc_total[b.cc]), 0),
        np.where(b.income, 0, b.current / np.where(exp_total[b.cc] == 0, 1, exp_total[b.cc])),
    )
    annual = b.current + delta * share
    groups = np.array([org.accounts[a].group for a in b.acct])
    noise_sd = np.where(groups == "Employees", 0.02, np.where(b.income, 0.12, 0.06))
    monthly = annual / 12 * (1 + rng.normal(0, noise_sd))
    if p == 1:
        monthly *= np.where(b.income, 1.0, 0.93)  # a slow first month: invoices not yet in
    weight = np.array([_LINE_WEIGHT[g] for g in groups]) * np.sqrt(np.abs(monthly))
    n_total = max(1, int(round(40000 * scale)))
    # Units that each get at least one line, so money is not lost: every budget line when
    # there are lines enough, else (cost centre, income or expenditure) -- then a line's
    # account is drawn within its unit, and cost-centre totals still hold.
    if n_total >= len(monthly):
        unit = np.arange(len(monthly))
    else:
        _, unit = np.unique(b.cc * 2 + b.income, return_inverse=True)
    n_units = int(unit.max()) + 1
    unit_money = np.bincount(unit, weights=monthly, minlength=n_units)
    unit_weight = np.bincount(unit, weights=weight, minlength=n_units)
    if n_total >= n_units:
        counts = 1 + rng.multinomial(n_total - n_units, unit_weight / unit_weight.sum())
    else:
        counts = rng.multinomial(n_total, unit_weight / unit_weight.sum())
    unit_of = np.repeat(np.arange(n_units), counts)
    # the budget line of each ledger line, drawn within its unit in proportion to its money
    order_b = np.argsort(unit, kind="stable")
    cum = np.cumsum(np.abs(monthly[order_b]) + 1e-9)
    first_b = np.searchsorted(unit[order_b], np.arange(n_units))
    base = np.where(first_b > 0, cum[np.maximum(first_b - 1, 0)], 0.0)
    span = np.bincount(unit, weights=np.abs(monthly) + 1e-9, minlength=n_units)
    r = base[unit_of] + rng.random(len(unit_of)) * span[unit_of]
    line_of = order_b[np.minimum(np.searchsorted(cum, r, side="right"), len(cum) - 1)]
    w = rng.exponential(1.0, size=len(unit_of))
    is_inc = b.income[line_of]
    flip = (rng.random(len(unit_of)) < np.where(is_inc, 0.02, 0.03)) & (counts[unit_of] >= 8)
    w = np.where(flip, -0.25 * w, w)  # credit notes and refunds: small, the other way
    sums = np.bincount(unit_of, weights=w, minlength=n_units)
    amount = unit_money[unit_of] * w / sums[unit_of]
    pence = np.rint(amount).astype(np.int64)
    pence[pence == 0] = 1
    g_line = groups[line_of]
    # posting dates
    payroll = max(d for d in wdays if d.day <= 26)
    day_idx = rng.integers(0, len(wdays), size=len(line_of))
    posting = [wdays[k] for k in day_idx]
    to_payroll = (g_line == "Employees") & (rng.random(len(line_of)) < 0.85)
    for k in np.flatnonzero(to_payroll):
        posting[k] = payroll
    for k in np.flatnonzero(g_line == "Support Services"):
        posting[k] = wdays[-1]
    # suppliers
    n = len(line_of)
    sup_id = [""] * n
    sup_name = [""] * n
    trades = np.array([
        _trade_for(org.service(org.cost_centres[b.cc[j]].service), org.accounts[b.acct[j]]) or ""
        for j in range(len(b.cc))
    ])[line_of]
    for trade in ("care", "housing", "property", "transport", "ict", "professional", "goods"):
        ks = np.flatnonzero(trades == trade)
        if len(ks):
            for k, s in zip(ks, pick.pick(rng, trade, len(ks))):
                sup_id[k] = s.supplier_id
                sup_name[k] = s.name
    mon = f"{MONTHS[first.month]} {first.year}"
    invoice = rng.integers(1000000, 9999999, size=n)
    desc: list[str] = []
    for k in range(n):
        acct = org.accounts[b.acct[line_of[k]]]
        g = g_line[k]
        if flip[k]:
            desc.append(f"Credit note CN{invoice[k] % 1000000:06d}" if not is_inc[k]
                        else f"Refund - {acct.name}")
        elif g == "Employees" and not trades[k]:
            desc.append(f"Payroll {mon} - {acct.name}")
        elif g == "Third Party Payments":
            desc.append(f"Care package – {mon}" if trades[k] == "care" else f"{acct.name} – {mon}")
        elif trades[k]:
            desc.append(f"INV{invoice[k]} {acct.name}")
        elif g == "Income":
            desc.append(f"{acct.name} receipts")
        elif g == "Transfer Payments":
            desc.append(f"{acct.name} payment run {posting[k].strftime('%d/%m')}")
        elif acct.name.startswith("Members"):
            desc.append(f"Members’ allowances {mon}")
        else:
            desc.append(f"{acct.name} – {mon}")
    order = sorted(range(n), key=lambda k: (posting[k], int(b.cc[line_of[k]]), int(invoice[k])))
    cc_codes = [org.cost_centres[i].code for i in b.cc]
    ac_codes = [org.accounts[a].code for a in b.acct]
    out = {"date": [], "cc": [], "acct": [], "pence": [], "sid": [], "sname": [], "desc": []}
    for k in order:
        j = line_of[k]
        out["date"].append(posting[k])
        out["cc"].append(cc_codes[j])
        out["acct"].append(ac_codes[j])
        out["pence"].append(int(pence[k]))
        out["sid"].append(sup_id[k])
        out["sname"].append(sup_name[k])
        out["desc"].append(desc[k])
    # a few lines on a cost centre the reference data does not know (valid: 'Unmapped')
    n_unknown = 3 + p % 3
    supplies = [a for a in org.accounts if a.group == "Supplies and Services"]
    for _ in range(n_unknown):
        pos = int(rng.integers(0, len(out["date"]) + 1))
        s = pick.pick(rng, "goods", 1)[0]
        a = supplies[int(rng.integers(len(supplies)))]
        d = wdays[int(rng.integers(len(wdays)))]
        for key, val in (("date", d), ("cc", UNKNOWN_COST_CENTRE), ("acct", a.code),
                         ("pence", int(rng.integers(80000, 2400000))), ("sid", s.supplier_id),
                         ("sname", s.name),
                         ("desc", "Miscoded invoice - cost centre to be confirmed")):
            out[key].insert(pos, val)
    if p in (2, 5):
        pos = int(rng.integers(0, len(out["date"]) + 1))
        for key, val in (("date", wdays[-1]), ("cc", org.active_cost_centres[10].code),
                         ("acct", UNKNOWN_ACCOUNT), ("pence", 325000), ("sid", ""),
                         ("sname", ""), ("desc", "Suspense - awaiting account code")):
            out[key].insert(pos, val)
    out["id"] = [f"GL25{p:02d}{k + 1:06d}" for k in range(len(out["date"]))]
    out["n_unmapped"] = n_unknown + (1 if p in (2, 5) else 0)
    return out


def _format_amounts(rng, pence: list[int]) -> list[str]:
    r = rng.random(len(pence))
    out = []
    for v, x in zip(pence, r):
        if v < 0:
            out.append(pence_to_str(v, "bracket" if x < 0.5 else "plain"))
        else:
            out.append(pence_to_str(v, "plain" if x < 0.7 else ("pound" if x < 0.9 else "comma")))
    return out


def _ledger_rows(org: Org, lines: dict, p: int, rng) -> list[list[str]]:
    amounts = _format_amounts(rng, lines["pence"])
    fy = str(YEAR)
    ps = str(p)
    return [
        [tid, uk(d), fy, ps, cc, ac, amt, sid, sn, de]
        for tid, d, cc, ac, amt, sid, sn, de in zip(
            lines["id"], lines["date"], lines["cc"], lines["acct"], amounts, lines["sid"],
            lines["sname"], lines["desc"])
    ]


def _ledger_bad(rng, rows: list[list[str]], p: int, day: date) -> list[tuple[list[str], str, int]]:
    """This period's deliberately bad lines. Each has amount 0.00, so the control total is
    the same whether it counts all rows read or only the rows loaded."""
    kinds = ["invalid date", "missing cost centre", "duplicate key", "US-order date",
             "period out of range"]
    chosen = [kinds[(p + k) % len(kinds)] for k in range(3 + p % 2)]
    items = []
    template = rows[len(rows) // 2]
    for n, kind in enumerate(chosen):
        row = list(template)
        row[0] = f"GL25{p:02d}9{n:05d}"
        row[6] = "0.00"
        row[9] = "Zero-value accrual adjustment"
        after = -1
        if kind == "invalid date":
            row[1] = invalid_date(day)
            reason = f"unparsable posting_date {row[1]}"
        elif kind == "US-order date":
            row[1] = us_date(day, rng)
            reason = f"US-order posting_date {row[1]}"
        elif kind == "missing cost centre":
            row[4] = ""
            reason = "missing required cost_centre"
        elif kind == "period out of range":
            row[3] = "14"
            reason = "period 14 outside 1-13"
        else:
            after = int(rng.integers(0, len(rows) // 2))
            row[0] = rows[after][0]
            row[9] = "Duplicate journal line"
            reason = f"second row with transaction_id {row[0]}"
        items.append((row, reason, after))
    return items


def _write_ledger_file(landing: Landing, name: str, rows: list[list[str]], bad: Bad,
                       arrived: datetime, note: str, p: int, extra: dict,
                       pence_total: int) -> LandingFile:
    """Write a ledger file with its TOTAL trailer: the Decimal sum of every data row's amount
    as written (bad rows carry 0.00), cross-checked against the integer pence it came from."""
    total = sum((parse_amount(r[6]) for r in rows), Decimal(0))
    if total * 100 != pence_total:
        raise AssertionError(f"{name}: control total {total} != {pence_total} pence")
    extra = dict(extra, control_total=pence_to_str(pence_total))
    return landing.write_csv(
        "finance/ledger", name, LEDGER_HEADER, rows, arrived_at=arrived, bad=bad,
        encoding="cp1252", crlf=True, blank_before_trailer=True,
        trailer=["TOTAL", "", "", "", "", "", pence_to_str(pence_total, "pound"), "", "", ""],
        note=note, extra=extra,
    )


def write_ledger(landing: Landing, org: Org, plan: Plan, through: FiscalPeriod, scale: float,
                 seed: int) -> None:
    pick = SupplierPicker(org)
    arrivals: dict[int, datetime] = {}
    p03: dict = {}
    for fp in periods_to(through):
        p = fp.period
        lines = _ledger_lines(org, plan, p, scale, seed, pick)
        rng = rng_for(seed, "ledger-format", p)
        rows = _ledger_rows(org, lines, p, rng)
        rows, bad = insert_bad(rng, rows, _ledger_bad(rng, rows, p, fp.first_day))
        arrived = at(working_day_after(fp.last_day, 3), 7, 15)
        arrivals[p] = arrived
        _write_ledger_file(
            landing, f"GL_Actuals_2025-26_P{p:02d}.csv", rows, bad, arrived,
            "ERP export: Windows-1252, CRLF, synonyms in the header (Trans No, Net Amount), "
            "UK dates, £ and bracketed negatives, blank row and TOTAL trailer; "
            f"{lines['n_unmapped']} valid lines outside the reference data (Unmapped).",
            p, {"unmapped_lines": lines["n_unmapped"]}, sum(lines["pence"]),
        )
        if p == 3:
            p03 = {k: list(v) if isinstance(v, list) else v for k, v in lines.items()}
        landing.say(f"ledger P{p:02d}: {len(rows):,} lines")
    if through.period >= 4:
        # P03 restated: a corrected export with recoded and corrected lines, after P04's.
        fp = FiscalPeriod(YEAR, 3)
        lines = p03
        rng = rng_for(seed, "ledger-restate")
        changed = rng.choice(len(lines["id"]), size=min(12, len(lines["id"])), replace=False)
        by_service: dict[str, list[str]] = {}
        for c in org.active_cost_centres:
            by_service.setdefault(c.service, []).append(c.code)
        code_to_service = {c.code: c.service for c in org.cost_centres}
        for n, k in enumerate(changed):
            if n % 2 == 0 and lines["cc"][k] in code_to_service:
                lines["cc"][k] = str(rng.choice(by_service[code_to_service[lines["cc"][k]]]))
                lines["desc"][k] += " (recoded)"
            else:
                lines["pence"][k] = int(round(lines["pence"][k] * 0.9))
                lines["desc"][k] += " (corrected)"
        nxt = len(lines["id"])
        for extra_line in range(3):
            c = org.active_cost_centres[int(rng.integers(len(org.active_cost_centres)))]
            lines["id"].append(f"GL2503{nxt + extra_line + 1:06d}")
            lines["date"].append(fp.last_day)
            lines["cc"].append(c.code)
            lines["acct"].append(org.accounts[0].code)
            lines["pence"].append(int(rng.integers(-500000, -10000)))
            lines["sid"].append("")
            lines["sname"].append("")
            lines["desc"].append("Correcting journal - payroll accrual")
        rows = _ledger_rows(org, lines, 3, rng_for(seed, "ledger-format", 3))
        arrived = datetime.combine(working_day_after(arrivals[4].date(), 1), datetime.min.time())
        arrived = arrived.replace(hour=9, minute=30)
        _write_ledger_file(
            landing, "GL_Actuals_2025-26_P03_RESTATED.csv", rows, Bad(), arrived,
            "P03 restated after the P04 close: 12 lines recoded or corrected and 3 correcting "
            "journals added; replaces every P03 line loaded earlier. Clean re-export "
            "(no bad rows).",
            3, {"restates": "finance/ledger/GL_Actuals_2025-26_P03.csv",
                "unmapped_lines": lines["n_unmapped"]},
            sum(lines["pence"]),
        )
        landing.say(f"ledger P03 restated: {len(rows):,} lines")
    if through.period == 13:
        write_ledger_p13(landing, org, plan, scale, seed)


def write_ledger_p13(landing: Landing, org: Org, plan: Plan, scale: float, seed: int) -> None:
    """Year-end adjustments: accruals and reclassifications posted to period 13."""
    rng = rng_for(seed, "ledger", 13)
    b = plan.budget
    n = max(5, int(round(1500 * scale)))
    picks = rng.integers(0, len(b.cc), size=n)
    pence = np.rint(b.current[picks] * rng.uniform(-0.02, 0.03, size=n)).astype(np.int64)
    pence[pence == 0] = 100
    rows = []
    for k, j in enumerate(picks):
        rows.append([f"GL2513{k + 1:06d}", "31/03/2026", str(YEAR), "13",
                     org.cost_centres[b.cc[j]].code, org.accounts[b.acct[j]].code,
                     pence_to_str(int(pence[k]), "bracket" if pence[k] < 0 else "comma"),
                     "", "", "Year-end accrual" if pence[k] > 0 else "Year-end reclassification"])
    items = [(list(rows[0][:1]) + ["31/03/2026", str(YEAR), "13", "", rows[0][5], "0.00", "", "",
                                    "Zero-value adjustment"], "missing required cost_centre", -1)]
    items[0][0][0] = "GL2513900001"
    rows, bad = insert_bad(rng, rows, items)
    arrived = at(working_day_after(date(2026, 3, 31), 15), 7, 15)
    _write_ledger_file(landing, "GL_Actuals_2025-26_P13.csv", rows, bad, arrived,
                       "Period 13 year-end adjustments (posting date 31/03/2026).", 13, {},
                       int(pence.sum()))
    landing.say(f"ledger P13: {len(rows):,} lines")


# ----------------------------------------------------------------------------- forecast

_OVER_TEXT = {
    "Adult Social Care Commissioning": (
        "Care package costs continue to exceed budget: {n} new residential placements this month "
        "and average weekly cost up {pct}% on budget assumptions.",
        "Home care hours above budgeted levels following hospital discharge pressures; "
        "market sustainability grant fully committed.",
    ),
    "Adult Social Care Operations": (
        "Agency social workers covering {n} vacant posts; recruitment campaign under way.",
        "Increased reablement and hospital discharge activity above funded levels.",
    ),
    "Learning Disabilities and Mental Health": (
        "Transitions cohort from children's services larger than forecast ({n} young people).",
    ),
    "Children's Placements": (
        "{n} new high-cost residential placements; average weekly cost now above £{cost},000. "
        "Sufficiency strategy actions in progress.",
        "Shortage of in-house foster carers means more placements with independent agencies.",
    ),
    "Special Educational Needs and Disabilities": (
        "SEND transport: more eligible pupils and higher contract prices after re-tender.",
    ),
    "Temporary Accommodation": (
        "Households in temporary accommodation up to {ta}; nightly-paid costs rising and "
        "housing benefit subsidy loss on B&B.",
        "Continued reliance on bed and breakfast; acquisitions programme to reduce costs from Q3.",
    ),
    "Development Management": (
        "Planning application fee income below budget: fewer major applications this year.",
    ),
}
_GENERIC_OVER = ("Overspend on agency cover for vacant posts.",
                 "Unbudgeted contract inflation on {what}.",
                 "Income below budget; recovery plan agreed with finance business partner.")
_GENERIC_UNDER = ("Underspend from vacancies held pending restructure.",
                  "Contract savings delivered early.",
                  "Vacancies in the team; underspend offered up to support corporate pressures.")


def _commentary(rng, org: Org, i: int, f: float, prev_f: float) -> str:
    s = org.service(org.cost_centres[i].service)
    if f > 0.005:
        options = _OVER_TEXT.get(s.name, _GENERIC_OVER)
        text = options[int(rng.integers(len(options)))]
        return text.format(n=int(rng.integers(2, 9)), pct=int(rng.integers(4, 15)),
                           cost=int(rng.integers(5, 9)), ta=int(rng.integers(780, 900)),
                           what=s.name.lower())
    if f < -0.005:
        return _GENERIC_UNDER[int(rng.integers(len(_GENERIC_UNDER)))]
    if abs(f - prev_f) > 0.002:
        return "Minor movement since last month."
    return ("On budget." if rng.random() < 0.3 else "")


def write_forecasts(landing: Landing, org: Org, plan: Plan, through: FiscalPeriod,
                    seed: int) -> None:
    arrivals: dict[int, datetime] = {}
    pending: tuple | None = None
    for fp in periods_to(through):
        p = fp.period
        rng = rng_for(seed, "forecast", p)
        rows: list[list[str]] = []
        late = 0
        for i, c in enumerate(org.cost_centres):
            if not c.active or i in plan.never_submits or rng.random() < 0.03:
                continue
            is_late = rng.random() < (0.6 if i in plan.late_prone else 0.04)
            late += is_late
            day = int(rng.integers(11, 15)) if is_late else int(rng.choice(
                np.arange(2, 11), p=np.array([1, 2, 3, 4, 5, 5, 4, 3, 2]) / 29))
            when = datetime.combine(fp.last_day + timedelta(days=day), datetime.min.time())
            when += timedelta(minutes=int(rng.integers(8 * 60, 19 * 60)))
            by = c.manager if rng.random() < 0.9 else org.service(c.service).head
            text = _commentary(rng, org, i, plan.variance[i, p], plan.variance[i, p - 1])
            rows.append([str(YEAR), str(p), c.code, pence_to_str(plan.forecast(i, p)), by,
                         when.strftime("%d/%m/%Y %H:%M"), text])
        # one comment written over two lines, as budget managers do
        for r in rows:
            if len(r[6]) > 60:
                r[6] = r[6].replace("; ", ";\n", 1).replace(". ", ".\n", 1)
                break
        items = []
        kinds = ["duplicate", "missing forecast", "invalid timestamp"]
        for k in range(2 if p % 2 else 1):
            kind = kinds[(p + k) % 3]
            if kind == "duplicate":
                j = int(rng.integers(0, len(rows)))
                row = list(rows[j])
                row[5] = row[5][:-2] + f"{(int(row[5][-2:]) + 7) % 60:02d}"
                items.append((row, f"second row for cost centre {row[2]} in the file", j))
            elif kind == "missing forecast":
                row = list(rows[int(rng.integers(0, len(rows)))])
                row[3] = ""
                row[2] = _spare_cc(org, rows, rng)
                items.append((row, "missing required forecast_outturn", -1))
            else:
                row = list(rows[int(rng.integers(0, len(rows)))])
                row[2] = _spare_cc(org, rows, rng)
                row[5] = f"{invalid_date(fp.last_day + timedelta(days=5))} 10:00"
                items.append((row, f"unparsable submitted_at {row[5]}", -1))
        rows, bad = insert_bad(rng, rows, items)
        arrived = at(fp.last_day + timedelta(days=15), 7, 0)
        arrivals[p] = arrived
        note = (f"Forecast submissions: {late} submitted after the 10th calendar day; "
                f"{len(plan.never_submits)} cost centres never submit; submitted_at as UK "
                "date-time; one commentary spans two lines.")
        if p == 4 and through.period >= 5:
            pending = (rows, bad, note)  # delivered late: written once P05's arrival is known
            continue
        landing.write_csv("finance/forecast", f"Forecast_Outturn_2025-26_P{p:02d}.csv",
                          ["fiscal_year", "period", "cost_centre", "forecast_outturn",
                           "submitted_by", "submitted_at", "commentary"], rows,
                          arrived_at=arrived, bad=bad, note=note)
    if pending is not None:
        rows, bad, note = pending
        arrived = arrivals[5] + timedelta(days=1, hours=3)
        landing.write_csv("finance/forecast", "Forecast_Outturn_2025-26_P04.csv",
                          ["fiscal_year", "period", "cost_centre", "forecast_outturn",
                           "submitted_by", "submitted_at", "commentary"], rows,
                          arrived_at=arrived, bad=bad,
                          note=note + " Delivered late: arrives after the P05 forecast file.")
    landing.say(f"forecast: {len(periods_to(through))} files")


def _spare_cc(org: Org, rows: list[list[str]], rng) -> str:
    """An active cost centre with no row in this file (so a bad row is not also a duplicate)."""
    present = {r[2] for r in rows}
    spare = [c.code for c in org.active_cost_centres if c.code not in present]
    return spare[int(rng.integers(len(spare)))] if spare else "CC1001"


# ----------------------------------------------------------------------------- payments

_PAY_TRADES = ("care", "property", "housing", "transport", "ict", "professional", "goods")
_PAY_P = np.array([0.36, 0.17, 0.08, 0.08, 0.08, 0.11, 0.12])
_PAY_MEDIAN = {"care": 2400, "property": 1700, "housing": 1100, "transport": 850, "ict": 1400,
               "professional": 1900, "goods": 280, "individual": 420}
_PAY_SIGMA = {"care": 1.3, "property": 1.6, "housing": 0.9, "transport": 1.2, "ict": 1.7,
              "professional": 1.5, "goods": 1.4, "individual": 0.8}
_PAY_DEPT = {"care": ("Adult Services", "Adult Services", "Children's Services"),
             "property": ("Environment and Property",),
             "housing": ("Housing and Regeneration",),
             "transport": ("Children's Services", "Environment and Property"),
             "ict": ("Finance and Resources",),
             "professional": tuple(n for _, n in org_mod.DIRECTORATES),
             "goods": tuple(n for _, n in org_mod.DIRECTORATES),
             "individual": ("Adult Services", "Children's Services")}
# The accounts each kind of supplier is paid from (by name), and the children's ones.
_PAY_ACCOUNTS = {
    "care": ("Residential Care", "Nursing Care", "Supported Living", "Home Care", "Extra Care",
             "Day Care", "Shared Lives", "Reablement Services", "Respite Care",
             "Residential Placements - Children", "Independent Fostering", "Semi-independent",
             "Secure Accommodation", "Independent Special School", "Alternative Provision"),
    "housing": ("Bed and Breakfast", "Nightly Paid", "Private Sector Leasing", "Hostel Contracts",
                "Rents - Temporary Accommodation Leases"),
    "property": ("Building Repairs", "Building Maintenance", "Grounds Maintenance",
                 "Cleaning Contract", "Security Services", "Fire Safety", "Lift Maintenance",
                 "Legionella", "Asbestos", "Pest Control", "Electricity", "Gas", "Water Charges",
                 "Tree Works", "Playground Maintenance", "Street Lighting Maintenance",
                 "Window Cleaning", "Highways Maintenance Contract", "Winter Maintenance"),
    "transport": ("Vehicle Fuel", "Vehicle Repairs", "Vehicle Hire", "Vehicle Leasing", "Tyres",
                  "Home to School Transport", "SEND Transport", "Adult Social Care Transport",
                  "Taxi Fares", "Bus Service Subsidies"),
    "ict": ("ICT", "Telephones", "Data Lines", "Audio Visual", "Software Development"),
    "professional": ("Consultants", "Legal Fees", "Barristers", "Expert Witness", "Audit Fees",
                     "Survey Costs", "Translation", "Agency Staff", "Recruitment Agency",
                     "Training Courses"),
    "goods": ("Equipment", "Furniture", "Clothing", "Protective Clothing", "Catering",
              "Printing", "Stationery", "Postage", "Books", "Library Book Fund", "Medical Supplies",
              "Cleaning Materials", "Advertising", "Marketing Materials", "Assistive Technology"),
    "individual": ("Direct Payments - Adults", "Direct Payments - Children",
                   "In-house Foster Carer Payments", "Special Guardianship Allowances",
                   "Adoption Allowances", "Care Leavers Support", "Section 17 Payments"),
}
_CHILDREN = ("Children", "Foster", "Guardianship", "Adoption", "Semi-independent", "Secure",
             "Independent Special", "Alternative Provision", "Care Leavers", "Section 17",
             "Home to School", "SEND")


def _department(trade: str, account: org_mod.Account, u: float) -> str:
    if trade in ("care", "individual", "transport"):
        if any(k in account.name for k in _CHILDREN):
            return "Children's Services"
        if trade != "transport" or "Adult" in account.name:
            return "Adult Services"
        return "Environment and Property"
    depts = _PAY_DEPT[trade]
    return depts[int(u * len(depts))]


_PROCLASS = {"care": "Social Care & Services", "property": "Facilities Management",
             "housing": "Housing Management", "transport": "Transport",
             "ict": "Information Communication Technology", "professional": "Consultancy",
             "goods": "Office Supplies", "individual": "Social Care & Services"}
_PAY_STYLES = {
    # canonical column -> header text, per style
    "A": [("body_name", "Body Name"), ("department", "Service Area"),
          ("expenditure_category", "Expenditure Category"),
          ("transaction_date", "Transaction Date"), ("transaction_number", "Transaction Number"),
          ("amount", "Amount"), ("supplier_name", "Supplier Name"), ("supplier_id", "Supplier ID"),
          ("expenditure_code", "Expenditure Code"), ("capital_or_revenue", "Capital or Revenue"),
          ("procurement_category", "Procurement Category"),
          ("irrecoverable_vat", "Irrecoverable VAT"), ("card_transaction", "Card Transaction")],
    "B": [("body_name", "Organisation"), ("transaction_date", "Payment Date"),
          ("transaction_number", "Reference"), ("supplier_name", "Beneficiary"),
          ("amount", "Net Amount"), ("department", "Organisatonal Unit"),
          ("expenditure_category", "Expenditure Catergory"), ("capital_or_revenue", "Type"),
          ("sercop_code", "SerCOP Code")],
    "C": [("department", "Directorate"), ("expenditure_category", "Purpose"),
          ("transaction_date", "Paid Date"), ("transaction_number", "Trans No"),
          ("amount", "Value"), ("supplier_name", "Supplier"), ("supplier_id", "Supplier ID"),
          ("capital_or_revenue", "caporrev")],
}


def write_payments(landing: Landing, org: Org, through: FiscalPeriod, scale: float,
                   seed: int) -> None:
    pick = SupplierPicker(org)
    pay_accounts = {t: [a for a in org.accounts if any(a.name.startswith(k) for k in keys)]
                    for t, keys in _PAY_ACCOUNTS.items()}
    for fp in periods_to(through):
        p = fp.period
        rng = rng_for(seed, "payments", p)
        n = max(8, int(round(4000 * scale * rng.uniform(0.93, 1.07))))
        individual = rng.random(n) < 0.03
        trade = np.where(individual, "individual", rng.choice(_PAY_TRADES, size=n, p=_PAY_P))
        med = np.array([_PAY_MEDIAN[t] for t in trade])
        sig = np.array([_PAY_SIGMA[t] for t in trade])
        amount = med * np.exp(rng.normal(0, 1, n) * sig)
        amount = np.minimum(amount, 2_500_000)
        target = 200e6 / 12 * scale * rng.uniform(0.9, 1.1)
        company = ~individual
        amount[company] *= (target - amount[individual].sum()) / amount[company].sum()
        credit = rng.random(n) < 0.005
        pence = np.rint(np.where(credit, -np.minimum(amount, 2500), amount) * 100).astype(np.int64)
        wdays = working_days(fp.first_day, fp.last_day)
        dw = np.array([3.0 if d.weekday() in (1, 3) else 0.6 for d in wdays])
        when = rng.choice(len(wdays), size=n, p=dw / dw.sum())
        order = np.lexsort((rng.random(n), when))
        style = "ABC"[(p - 1) % 3]
        # draw everything per payment up front, then build the rows
        sup = np.empty(n, dtype=object)
        for t in _PAY_TRADES:
            ks = np.flatnonzero(trade == t)
            if len(ks):
                sup[ks] = pick.pick(rng, t, len(ks))
        redacted_case = rng.random(n) < 0.8
        acct_u = rng.random(n)
        dept_u = rng.random(n)
        cap_u = rng.random(n)
        vat_u = rng.random(n)
        card_u = rng.random(n)
        ym = f"{fp.first_day:%y%m}"
        rows_c: list[dict[str, str]] = []
        for seq, k in enumerate(order, start=1):
            t = str(trade[k])
            if t == "individual":
                name = "Redacted personal data" if redacted_case[k] else "REDACTED PERSONAL DATA"
                sid = ""
            else:
                name, sid = sup[k].name, sup[k].supplier_id
            accs = pay_accounts[t]
            acct = accs[int(acct_u[k] * len(accs))]
            cap = "Capital" if t in ("property", "ict") and cap_u[k] < 0.1 else "Revenue"
            v = int(pence[k])
            amt = pence_to_str(v, "pound") if style == "B" else pence_to_str(v)
            if p == 5:  # a spreadsheet round trip left the pound sign mis-encoded
                amt = amt.replace("£", "Â£")
            rows_c.append({
                "body_name": COUNCIL_NAME,
                "department": _department(t, acct, dept_u[k]),
                "expenditure_category": acct.name, "expenditure_code": acct.code,
                "transaction_date": uk(wdays[when[k]]),
                "transaction_number": f"AP{ym}-{seq:05d}",
                "amount": amt, "supplier_name": name, "supplier_id": sid,
                "capital_or_revenue": cap, "procurement_category": _PROCLASS[t],
                "sercop_code": "", "irrecoverable_vat": "0.00" if vat_u[k] < 0.1 else "",
                "card_transaction": "Y" if t == "goods" and v < 50000 and card_u[k] < 0.2 else "N",
            })
        cols = _PAY_STYLES[style]
        rows = [[r[c] for c, _ in cols] for r in rows_c]
        items = []
        kinds = ["whole-row duplicate", "missing supplier", "US-order date", "invalid date"]
        for k in range(2 + p % 2):
            kind = kinds[(p + k) % 4]
            j = int(rng.integers(0, len(rows)))
            row = list(rows[j])
            ci = {c: x for x, (c, _) in enumerate(cols)}
            if kind == "whole-row duplicate":
                items.append((row, "exact repeat of a whole row", j))
                continue
            row[ci["transaction_number"]] = f"AP{fp.first_day:%y%m}-9{k:04d}"
            if kind == "missing supplier":
                row[ci["supplier_name"]] = ""
                reason = "missing required supplier_name"
            elif kind == "US-order date":
                row[ci["transaction_date"]] = us_date(fp.first_day, rng)
                reason = f"US-order transaction_date {row[ci['transaction_date']]}"
            else:
                row[ci["transaction_date"]] = invalid_date(fp.first_day)
                reason = f"unparsable transaction_date {row[ci['transaction_date']]}"
            items.append((row, reason, -1))
        rows, bad = insert_bad(rng, rows, items)
        arrived = at(working_day_after(fp.last_day, 5), 10, 0)
        name = f"MKCC_Spend_{fp.first_day:%Y-%m}.csv"
        n_redacted = int(individual.sum())
        rec = landing.write_csv(
            "finance/payments", name, [h for _, h in cols], rows, arrived_at=arrived, bad=bad,
            bom=style in ("B", "C"),
            note=f"Header style {style} ({'LGA names' if style == 'A' else 'common variants'}"
                 f"{', no body column: the council' if style == 'C' else ''}); "
                 f"{'UTF-8 with BOM' if style in ('B', 'C') else 'UTF-8'}; "
                 f"{'mis-encoded pound signs (Â£); ' if p == 5 else ''}"
                 f"{n_redacted} payments to individuals as Redacted personal data.",
            extra={"redacted_payments": n_redacted},
        )
        if p == 2:
            landing.duplicate(rec, f"MKCC_Spend_{fp.first_day:%Y-%m} (1).csv",
                              arrived + timedelta(days=1, hours=2),
                              "The May file dropped again under another name: same bytes.")
    landing.say(f"payments: {len(periods_to(through))} files")


# ----------------------------------------------------------------------------- capital

_CAPITAL = (
    ("Central Milton Keynes Transport Hub", "ENP"), ("A5 / A421 Junction Improvement", "ENP"),
    ("Redway Network Upgrade", "ENP"), ("Wolverton Station Square Regeneration", "HRG"),
    ("Lakes Estate Regeneration", "HRG"), ("Fishermead Regeneration Phase 2", "HRG"),
    ("Bletchley Fields Sports Hub", "PLP"), ("Kingston Library Refurbishment", "STE"),
    ("Olney Primary School Expansion", "CHS"), ("Whitehouse Secondary School Phase 2", "CHS"),
    ("Glebe Farm Primary School", "CHS"), ("SEND Resource Base - Brooklands", "CHS"),
    ("Special School Places - Walton", "CHS"),
    ("Children's Residential Home - Newport Pagnell", "CHS"),
    ("Temporary Accommodation Acquisitions Programme", "HRG"),
    ("Affordable Housing Delivery - Campbell Park", "HRG"),
    ("Council House Building Programme Phase 3", "HRG"), ("Disabled Facilities Grants", "HRG"),
    ("Highways Structural Maintenance 2025-26", "ENP"), ("Street Lighting LED Replacement", "ENP"),
    ("Bridge Strengthening - Grand Union Canal", "ENP"),
    ("Electric Vehicle Charging Points", "ENP"),
    ("Household Recycling Centre Rebuild - Bleak Hall", "ENP"), ("Waste Fleet Replacement", "ENP"),
    ("Solar Car Ports - Civic Offices", "ENP"), ("Civic Offices Decarbonisation", "ENP"),
    ("Leisure Centre Decarbonisation - Bletchley", "PLP"), ("Theatre District Public Realm", "PLP"),
    ("Campbell Park Improvements", "ENP"), ("Play Area Renewal Programme", "ENP"),
    ("Cemetery Extension - Crownhill", "ENP"), ("Milton Keynes Museum Roof Repairs", "PLP"),
    ("Bus Priority Measures - H6 Childs Way", "ENP"), ("Mass Rapid Transit Feasibility", "PLP"),
    ("Flood Alleviation - Newport Pagnell", "ENP"), ("Tree Planting Programme", "ENP"),
    ("ICT Infrastructure Refresh", "FIN"), ("Data Centre Migration to Cloud", "FIN"),
    ("Adult Social Care Case Management System", "ADS"),
    ("Extra Care Scheme - Fenny Stratford", "ADS"), ("Day Centre Reprovision - Woughton", "ADS"),
    ("Family Hub - Bletchley", "CHS"), ("Youth Centre Refurbishment - Wolverton", "CHS"),
    ("Cycle Superhighway - Station to Willen", "ENP"), ("Car Park Resurfacing Programme", "ENP"),
)
_CORPORATE = (
    ("Customer Experience Programme", "STE"), ("CRM Replacement", "STE"),
    ("Adult Social Care Transformation", "ADS"),
    ("Children's Placement Sufficiency Strategy", "CHS"),
    ("Temporary Accommodation Reduction Plan", "HRG"), ("Agile Working Programme", "FIN"),
    ("Digital Inclusion Programme", "STE"), ("Finance System Upgrade", "FIN"),
    ("MK City Plan 2050", "PLP"), ("Workforce Strategy", "FIN"), ("Net Zero Roadmap", "ENP"),
    ("Procurement Transformation", "FIN"), ("Income Generation Review", "FIN"),
    ("Waste Strategy Implementation", "ENP"), ("Community Asset Transfer Programme", "LAG"),
)
# typical approved budget (£m) by a word in the project's name; the rest are ~£2.5m
_PROJECT_SIZE = (
    ("Transport Hub", 48), ("Junction", 22), ("Lakes Estate", 35), ("Fishermead", 28),
    ("Wolverton Station", 14), ("Acquisitions", 30), ("Council House Building", 40),
    ("Affordable Housing", 12), ("Secondary School", 26), ("Primary School", 11),
    ("Special School", 9), ("SEND Resource", 4), ("Residential Home", 3.5),
    ("Structural Maintenance", 9), ("LED", 6), ("Bridge", 5), ("Recycling Centre", 8),
    ("Fleet", 7), ("Extra Care", 16), ("Sports Hub", 9), ("Decarbonisation", 4),
    ("Mass Rapid Transit", 3), ("Cycle Superhighway", 6), ("Disabled Facilities", 3.2),
    ("Case Management System", 2.8), ("CRM Replacement", 1.9), ("Transformation", 1.2),
    ("Data Centre", 2.2), ("ICT Infrastructure", 3.1), ("Library", 1.4), ("Museum", 0.9),
    ("Play Area", 0.8), ("Tree Planting", 0.5),
)
_STAGES = ("Feasibility", "Design", "Procurement", "Delivery", "Delivery", "Closure")


def write_capital(landing: Landing, org: Org, through: FiscalPeriod, seed: int) -> None:
    rng = rng_for(seed, "capital")
    directors = {d.code: d.director for d in org.directorates}
    projects = []
    for k, (name, d) in enumerate(_CAPITAL + _CORPORATE):
        capital = k < len(_CAPITAL)
        size = next((v for k_, v in _PROJECT_SIZE if k_ in name), 2.5 if capital else 0.6)
        budget = size * 1e6 * float(np.exp(rng.normal(0, 0.25)))
        budget = round(budget / 1000) * 1000
        start = date(2023, 4, 1) + timedelta(days=int(rng.integers(0, 800)))
        end = start + timedelta(days=int(rng.integers(300, 1300)))
        trouble = rng.random()
        projects.append({
            "id": f"CAP-{k + 1:03d}" if capital else f"CORP-{k - len(_CAPITAL) + 1:03d}",
            "name": name, "d": d, "capital": capital, "budget": budget, "start": start,
            "end": end, "slip_rate": (rng.uniform(0.3, 1.2) if trouble > 0.75 else
                                      rng.uniform(0, 0.1) if trouble > 0.4 else 0.0),
            "cost_rate": (rng.uniform(0.04, 0.12) if trouble > 0.8 else
                          rng.uniform(-0.03, 0.02) if trouble > 0.3 else 0.0),
            "scope_issue": rng.random() < 0.08, "benefit_issue": rng.random() < 0.08,
        })
    header = ["as_at_date", "project_id", "project_name", "directorate_code", "approved_budget",
              "spend_to_date", "forecast_outturn", "baseline_end_date", "forecast_end_date",
              "rag_time", "rag_cost", "rag_scope", "rag_benefits", "stage", "sponsor",
              "is_capital", "commentary"]
    snapshots = quarter_snapshots(through)
    for q, fq in snapshots:
        qend = fq.last_day
        qrng = rng_for(seed, "capital", q)
        rows = []
        for pr in projects:
            if pr["start"] > qend or pr["end"] < date(2025, 3, 31):
                continue
            elapsed = (qend - pr["start"]).days
            slip = int(pr["slip_rate"] * max(0, elapsed) * 0.35 / 10) * 10
            fend = pr["end"] + timedelta(days=slip)
            progress = min(1.0, elapsed / max(1, (fend - pr["start"]).days))
            cost_var = pr["cost_rate"] * (0.6 + 0.2 * q)
            fo = round(pr["budget"] * (1 + cost_var) / 1000) * 1000
            spend = round(fo * (3 * progress ** 2 - 2 * progress ** 3) * qrng.uniform(0.9, 1.0))
            rt = "R" if slip > 90 else "A" if slip > 30 else "G"
            rc = "R" if cost_var > 0.1 else "A" if cost_var > 0.02 else "G"
            rs = "A" if pr["scope_issue"] else "G"
            rb = "A" if pr["benefit_issue"] or rt == "R" else "G"
            stage = _STAGES[min(5, int(progress * 5.99))]
            notes = []
            if rt != "G":
                notes.append(f"Completion now expected {fend:%B %Y} "
                             f"({slip} days later than baseline).")
            if rc != "G":
                notes.append("Tender prices above estimate; value engineering under way.")
            if rs != "G":
                notes.append("Scope under review with the sponsor.")
            rows.append([
                uk(qend) if q % 2 else iso(qend), pr["id"], pr["name"], pr["d"],
                pence_to_str(int(pr["budget"] * 100)), pence_to_str(int(spend * 100)),
                pence_to_str(int(fo * 100)), uk(pr["end"]), uk(fend), rt, rc, rs, rb, stage,
                directors[pr["d"]], "Y" if pr["capital"] else "N", " ".join(notes),
            ])
        j = int(qrng.integers(0, len(rows)))
        row = list(rows[j])
        del rows[j]
        row[10] = "Amber"
        rows, bad = insert_bad(qrng, rows, [(row, "rag_cost 'Amber' outside G/A/R", -1)])
        arrived = at(working_day_after(qend, 10), 11, 0)
        landing.write_csv(
            "finance/capital", f"Capital_and_Projects_{qend:%Y-%m-%d}.csv", header, rows,
            arrived_at=arrived, bad=bad,
            note=f"{fq} snapshot of capital schemes and corporate projects; one project "
                 "reported with RAG 'Amber' instead of A.")
    landing.say(f"capital: {len(snapshots)} snapshots")

