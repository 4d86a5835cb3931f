"""Hand-made finance and payments marts (docs/finance-marts.md) for the pack tests.

The dbt models that build these marts are written in parallel; the packs read only the
documented columns, so the tests create the tables themselves. `conn` truncates ops
and raw but not marts, so the tables are dropped and made again here.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal as D

import pytest

from onecouncil.quality.results import CheckResult, Verdict

FY, PERIOD, PERIOD_END = "2025-26", 5, "2025-08-31"

MARTS_DDL = """
drop table if exists marts.finance_outturn, marts.finance_outturn_service,
    marts.finance_outturn_directorate, marts.finance_outturn_council,
    marts.forecast_compliance, marts.finance_unmapped_lines, marts.payments,
    marts.transparency_spend;
create schema if not exists marts;
create table marts.finance_outturn (
    fiscal_year text, period integer, period_end date, cost_centre text, cost_centre_name text,
    service_code text, service_name text, directorate_code text, directorate_name text,
    budget_manager text, current_budget numeric, actual_ytd numeric, forecast_outturn numeric,
    forecast_basis text, variance numeric, variance_pct numeric, rag text, movement numeric,
    commentary text, submitted_at timestamptz, is_unmapped boolean);
create table marts.finance_outturn_service (
    fiscal_year text, period integer, period_end date, service_code text, service_name text,
    directorate_code text, directorate_name text, current_budget numeric, actual_ytd numeric,
    forecast_outturn numeric, variance numeric, variance_pct numeric, rag text, movement numeric);
create table marts.finance_outturn_directorate (
    fiscal_year text, period integer, period_end date, directorate_code text,
    directorate_name text, current_budget numeric, actual_ytd numeric, forecast_outturn numeric,
    variance numeric, variance_pct numeric, rag text, movement numeric);
create table marts.finance_outturn_council (
    fiscal_year text, period integer, period_end date, current_budget numeric,
    actual_ytd numeric, forecast_outturn numeric, variance numeric, variance_pct numeric,
    rag text, movement numeric);
create table marts.forecast_compliance (
    fiscal_year text, period integer, period_end date, directorate_code text,
    directorate_name text, active_cost_centres integer, submitted_on_time integer,
    submitted_late integer, not_submitted integer, compliance_pct numeric,
    deadline timestamptz);
create table marts.finance_unmapped_lines (
    fiscal_year text, period integer, source text, cost_centre text, account_code text,
    reason text, lines integer, amount numeric);
create table marts.payments (
    transaction_date date, transaction_number text, amount numeric, supplier_name text,
    supplier_id text, department text, expenditure_category text, expenditure_code text,
    capital_or_revenue text, body_name text, is_individual boolean, transaction_month date,
    fiscal_year text, period integer, sha256 text, line_number integer);
create table marts.transparency_spend (
    body_name text, transaction_date date, transaction_number text, supplier_name text,
    amount numeric, department text, expenditure_category text, capital_or_revenue text,
    fiscal_year text, period integer, transaction_month date, sha256 text);
"""

DIRS = {"ADU": "Adult Services", "CHI": "Children's Services", "PLA": "Place",
        "UNMAPPED": "Unmapped"}

# cost centre, name, service, service name, directorate, manager, budget, actual, forecast,
# rag, basis, commentary
COST_CENTRES = [
    ("A100", "Residential care", "ASC", "Adult Social Care", "ADU", "R. Patel",
     "1000000", "420000", "1060000", "Red", "submitted",
     "More people placed in residential care since June; prices up 8%."),
    ("A101", "Home care", "ASC", "Adult Social Care", "ADU", "R. Patel",
     "500000", "200000", "505000", "Amber", "carried forward", None),
    ("C200", "Contracts", "COM", "Commissioning", "ADU", "S. Jones",
     "300000", "120000", "300000", "Green", "submitted", "On budget."),
    ("K300", "Fostering", "CSC", "Children's Social Care", "CHI", "L. Brown",
     "800000", "350000", "810000", "Amber", "submitted",
     "Two more <placements> & an agency carer."),
    ("K400", "School transport", "EDU", "Education", "CHI", "M. Green",
     "400000", "160000", "398000", "Green", "defaulted to budget", None),
    ("P500", "Road maintenance", "HWY", "Highways", "PLA", "T. White",
     "2000000", "700000", "1950000", "Green", "submitted", "Resurfacing moved to next year."),
    ("UNMAPPED", "Unmapped", "UNMAPPED", "Unmapped", "UNMAPPED", None,
     "0", "1234.56", "1234.56", "Green", "defaulted to budget", None),
]
MOVEMENT = {"ADU": D("15000"), "CHI": D("-2000"), "PLA": D("-10000"), "UNMAPPED": None}
SERVICE_RAG = {"ASC": "Red", "COM": "Green", "CSC": "Amber", "EDU": "Green", "HWY": "Green",
               "UNMAPPED": "Green"}
DIRECTORATE_RAG = {"ADU": "Red", "CHI": "Amber", "PLA": "Green", "UNMAPPED": "Green"}

LEDGER_SHA = hashlib.sha256(b"ledger p05").hexdigest()
BUDGET_SHA = hashlib.sha256(b"budget 2025-26").hexdigest()
PAYMENTS_SHA = hashlib.sha256(b"payments aug").hexdigest()
INDIVIDUAL = "Jane Example-Individual"  # in the raw feed only: must never reach an output

PAYMENTS = [  # date, number, supplier, amount, department, category, cap/rev
    ("2025-08-04", "T1001", "Acme Care Ltd", "12000.00", "Adult Services", "Residential care",
     "Revenue"),
    ("2025-08-05", "T1002", "Acme Care Ltd", "3500.50", "Adult Services", "Residential care",
     "Revenue"),
    ("2025-08-11", "T1003", "Roadworks plc", "25000.00", "Place", "Road maintenance", "Capital"),
    ("2025-08-12", "T1004", "Redacted personal data", "650.00", "Children's Services",
     "Foster care allowances", "Revenue"),
    ("2025-08-12", "T1005", "Redacted personal data", "650.00", "Children's Services",
     "Foster care allowances", "Revenue"),
    ("2025-08-20", "T1006", "Redacted personal data", "900.00", "Adult Services",
     "Direct payments", "Revenue"),
    ("2025-08-28", "T1007", "Stationers, \"Quill\" & Co", "-600.00", "Place", "Stationery",
     "Revenue"),
]


def _pct(variance: D, budget: D) -> D | None:
    return None if budget == 0 else (variance * 100 / abs(budget)).quantize(D("0.01"))


def _totals(rows):
    budget = sum(D(r[6]) for r in rows)
    actual = sum(D(r[7]) for r in rows)
    forecast = sum(D(r[8]) for r in rows)
    return budget, actual, forecast, forecast - budget


def fill_marts(c) -> None:
    c.execute(MARTS_DDL)
    # no benchmarks unless a test loads them (benchmark_fixtures.fill_benchmarks)
    from benchmark_fixtures import create_marts

    create_marts(c)
    base = (FY, PERIOD, PERIOD_END)
    for r in COST_CENTRES:
        budget, actual, forecast = D(r[6]), D(r[7]), D(r[8])
        c.execute(
            "insert into marts.finance_outturn values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"
            "%s,%s,%s,%s,%s,%s,%s,%s)",
            (*base, r[0], r[1], r[2], r[3], r[4], DIRS[r[4]], r[5], budget, actual, forecast,
             r[10], forecast - budget, _pct(forecast - budget, budget), r[9],
             None if r[4] == "UNMAPPED" else D("1000"), r[11],
             "2025-09-08 16:30:00+01" if r[10] == "submitted" else None, r[4] == "UNMAPPED"))
    for code in SERVICE_RAG:
        rows = [r for r in COST_CENTRES if r[2] == code]
        b, a, f, v = _totals(rows)
        c.execute("insert into marts.finance_outturn_service values "
                  "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                  (*base, code, rows[0][3], rows[0][4], DIRS[rows[0][4]], b, a, f, v, _pct(v, b),
                   SERVICE_RAG[code], None if code == "UNMAPPED" else D("500")))
    for code, name in DIRS.items():
        rows = [r for r in COST_CENTRES if r[4] == code]
        b, a, f, v = _totals(rows)
        c.execute("insert into marts.finance_outturn_directorate values "
                  "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                  (*base, code, name, b, a, f, v, _pct(v, b), DIRECTORATE_RAG[code],
                   MOVEMENT[code]))
    b, a, f, v = _totals(COST_CENTRES)
    c.execute("insert into marts.finance_outturn_council values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
              (*base, b, a, f, v, _pct(v, b), "Green", D("3000")))
    for code, active, on_time, late, missing in (("ADU", 3, 2, 1, 0), ("CHI", 2, 1, 0, 1),
                                                 ("PLA", 1, 1, 0, 0)):
        c.execute("insert into marts.forecast_compliance values "
                  "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                  (*base, code, DIRS[code], active, on_time, late, missing,
                   (D(on_time) * 100 / active).quantize(D("0.1")), "2025-09-10 23:59:59+01"))
    c.execute("insert into marts.finance_unmapped_lines values (%s,%s,%s,%s,%s,%s,%s,%s)",
              (FY, PERIOD, "ledger", "Z999", "4001", "cost centre not in reference data", 3,
               D("1234.56")))
    for date, number, supplier, amount, dept, cat, cr in PAYMENTS:
        c.execute("insert into marts.transparency_spend values "
                  "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                  ("Milton Keynes City Council", date, number, supplier, D(amount), dept, cat, cr,
                   FY, PERIOD, "2025-08-01", PAYMENTS_SHA))


def fill_ops(c) -> None:
    """The loaded files behind the marts, as ingestion records them, plus current raw rows."""
    def add_file(feed, name, sha, rows, quarantined, run_id):
        return c.execute(
            "insert into ops.files (sha256, feed, file_name, arrived_at, outcome, rows_read,"
            " rows_loaded, rows_quarantined, size_bytes, archive_path, run_id) values"
            " (%s,%s,%s,'2025-09-12 09:00+01','loaded',%s,%s,%s,1000,'archive/x',%s)"
            " returning file_id", (sha, feed, name, rows + quarantined, rows, quarantined,
                                   run_id)).fetchone()[0]

    ledger = add_file("finance/ledger", "ledger_2025-26_p05.csv", LEDGER_SHA, 6, 2, "ingest-1")
    budget = add_file("finance/budget", "budget_2025-26.xlsx", BUDGET_SHA, 7, 0, "ingest-1")
    payments = add_file("finance/payments", "payments_2025-08.csv", PAYMENTS_SHA, 7, 0, "ingest-2")
    # A file for another year: its rows must not count towards this pack's sources.
    other = add_file("finance/ledger", "ledger_2024-25_p05.csv", "0" * 64, 1, 0, "ingest-0")
    for line in (1, 2):
        c.execute("insert into ops.quarantine (file_id, sha256, feed, line_number, reason, raw)"
                  " values (%s,%s,'finance/ledger',%s,'amount is not a number','{}')",
                  (ledger, LEDGER_SHA, line))
    meta = "_file_id, _sha256, _line_number, _loaded_at"
    c.execute(f"insert into raw.finance__ledger (fiscal_year, period, {meta}) values"
              " (%s, 5, %s, %s, 1, now()), ('2024-25', 5, %s, %s, 1, now())",
              (FY, ledger, LEDGER_SHA, other, "0" * 64))
    c.execute(f"insert into raw.finance__budget (fiscal_year, {meta}) values (%s,%s,%s,1,now())",
              (FY, budget, BUDGET_SHA))
    c.execute(f"insert into raw.finance__payments (supplier_name, amount, {meta}) values"
              " (%s, 900, %s, %s, 6, now())", (INDIVIDUAL, payments, PAYMENTS_SHA))


@pytest.fixture
def marts(conn):
    import report_models

    fill_marts(conn)
    fill_ops(conn)
    report_models.build(conn)
    return conn


@pytest.fixture
def final_verdict() -> Verdict:
    return Verdict(run_id="transform-1", results=(
        CheckResult("dbt", "not_null_finance_outturn_cost_centre", "marts.finance_outturn",
                    "blocking", "pass"),
        CheckResult("gx", "ledger_amounts_in_range", "raw.finance__ledger", "warning", "fail",
                    3, "3 amounts over £1m"),
    ))


@pytest.fixture
def failed_verdict() -> Verdict:
    return Verdict(run_id="transform-2", results=(
        CheckResult("dbt", "finance_outturn_totals_reconcile", "marts.finance_outturn_council",
                    "blocking", "fail", 1, "council total differs from the ledger by £12.00"),
        CheckResult("dbt", "not_null_finance_outturn_cost_centre", "marts.finance_outturn",
                    "blocking", "pass"),
    ))
