"""Hand-made project, contact, consultation and training marts (docs/services-marts.md).

Quarter 2 of 2025-26 (01/07/2025 to 30/09/2025), on top of the Cabinet fixtures'
indicator and finance marts. Import `services_marts_fixture` (registered as
`services_marts`). Expected figures are worked out by hand beside the rows. Each fixture
ends by building dbt's report layer over these marts (report_models.build); a test that
changes a mart afterwards calls `rebuild_reports(conn)`.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal as D

import pytest
from cabinet_fixtures import fill_cabinet_ops, fill_finance_p06, fill_indicators, fill_risk
from conftest import fill_marts, fill_ops

PROJECT_SHAS = {d: hashlib.sha256(f"projects {d}".encode()).hexdigest()
                for d in ("2025-09-15", "2025-10-15")}
CONSULT_SHA = hashlib.sha256(b"consultations").hexdigest()
# The contact and training marts carry no file hash: their files are found by date.
# contacts_a has a contact at 10:00 UTC on 30/09/2025 (in Q2); contacts_b's only contact
# is at 23:30 UTC on 30/09, 00:30 on 1 October in London (Q3, not Q2); contacts_c (a
# replaced row) is never a source. training_0930 is the Q2 snapshot's file,
# training_1031 the October one's (not Q2).
DATED_SHAS = {name: hashlib.sha256(name.encode()).hexdigest()
              for name in ("contacts_a", "contacts_b", "contacts_c", "training_0630",
                           "training_0930", "training_1031")}

SERVICES_DDL = """
drop table if exists marts.project_status, marts.contact_monthly,
    marts.consultation_compliance, marts.training_compliance;
create table marts.project_status (
    as_at_date date, project_id text, project_name text, directorate_code text, stage text,
    is_capital boolean, approved_budget numeric, spend_to_date numeric,
    forecast_outturn numeric, cost_variance numeric, cost_variance_pct numeric,
    baseline_end_date date, forecast_end_date date, slippage_days integer, rag_time text,
    rag_cost text, rag_scope text, rag_benefits text, overall_rag text, commentary text,
    sha256 text);
create table marts.contact_monthly (
    fiscal_year text, period integer, month_start date, channel text, contacts integer,
    abandoned integer, resolved integer, not_abandoned integer, avg_wait_seconds numeric,
    phone_answer_rate numeric, digital_share numeric, resolved_first_contact numeric);
create table marts.consultation_compliance (
    consultation_id text, title text, lead_service_code text, start_date date,
    end_date date, statutory boolean, counting_days integer, includes_august boolean,
    required_days integer, compliant boolean, status text, parishes_notified_date date,
    parishes_notified_in_time boolean, responses integer, sha256 text);
create table marts.training_compliance (
    as_at_date date, directorate_code text, course text, assigned integer,
    assigned_due integer, completed_on_time integer, completed_late integer, overdue integer,
    not_yet_due integer, completion_rate numeric);
"""

# as_at, id, name, dir, capital, budget, forecast, baseline end, forecast end, rags, overall
PROJECTS = [
    ("2025-09-15", "P1", "New leisure centre", "PLA", True, 10_000_000, 11_500_000,
     "2026-03-31", "2026-06-30", "RRAG", "Red"),  # +1,500,000, 15.00%, 91 days
    ("2025-09-15", "P2", "Care records system", "ADU", False, 500_000, 480_000,
     "2025-12-31", "2025-12-31", "GGGG", "Green"),  # -20,000, -4.00%, 0 days
    ("2025-09-15", "P3", "School roofs", "CHI", True, 2_000_000, 2_050_000,
     "2026-01-31", "2026-02-14", "AGGG", "Amber/Green"),  # +50,000, 2.50%, 14 days
    # the October snapshot is after the quarter end: never read for Q2
    ("2025-10-15", "P1", "New leisure centre", "PLA", True, 10_000_000, 9_000_000,
     "2026-03-31", "2026-03-31", "GGGG", "Green"),
]

# Q2 months of 2025-26: (period, month_start, phone, online form, email, answered phone,
# resolved, not abandoned). All: phone + online + email; digital = (online + email) / all.
CONTACT = [
    (1, "2025-04-01", 600, 300, 100, 540, 700, 940),
    (2, "2025-05-01", 500, 400, 100, 450, 760, 950),
    (3, "2025-06-01", 400, 400, 200, 380, 800, 980),
    (4, "2025-07-01", 500, 350, 150, 475, 750, 975),
    (5, "2025-08-01", 450, 450, 100, 405, 800, 955),
    (6, "2025-09-01", 500, 500, 0, 450, 900, 950),
    (7, "2025-10-01", 999, 999, 999, 999, 999, 999),  # after Q2: never read
]
# year to the end of Q2: phone 2,950, online form 2,400, email 650, all 6,000.

# id, title, start, end, statutory, counting, required, status, notified, in time
CONSULTATIONS = [
    ("C1", "Library opening hours", "2025-06-01", "2025-07-12", False, 42, 42, "compliant",
     "2025-05-30", True),  # overlaps the quarter's start
    ("C2", "Parking charges", "2025-07-20", "2025-09-14", False, 57, 56, "compliant",
     "2025-07-21", False),  # includes August: 56 required; parishes told a day late
    ("C3", "Bus lane on the high street", "2025-08-01", "2025-09-05", False, 36, 56,
     "too short", None, False),  # never told: not in time (rules.md "Consultations")
    ("C4", "Local plan review", "2025-09-15", "2025-11-10", True, 57, None, "statutory",
     "2025-09-01", True),
    ("C5", "Skate park", "2025-01-06", "2025-03-01", False, 55, 42, "compliant", "2025-01-01",
     True),  # before the quarter: left out
]

# as_at, directorate, course, assigned_due, completed_on_time.
# At 2025-09-30 the table (on time, not on time, due) is:
#   ADU cyber security      40, 10, 50
#   ADU data protection      3, 17, 20   <- 3 is <5; the row's 17 is hidden with it
#   CHI cyber security      30, 10, 40
#   CHI data protection     25,  5, 30
#   total                   98, 42, 140
# Column "on time": 3 alone -> also 25 (smallest other inner non-zero). Column "not on
# time": 17 hidden -> also 5 (smallest). So ADU data protection, CHI data protection hide
# their on-time and not-on-time counts; dues and totals stay.
TRAINING = [
    ("2025-09-30", "ADU", "cyber security", 50, 40),
    ("2025-09-30", "ADU", "data protection", 20, 3),
    ("2025-09-30", "CHI", "cyber security", 40, 30),
    ("2025-09-30", "CHI", "data protection", 30, 25),
    ("2025-06-30", "ADU", "cyber security", 10, 1),  # an older snapshot: not read
    ("2025-10-31", "ADU", "cyber security", 1, 1),  # after the quarter: not read
]


def _pct(part: int, whole: int) -> D | None:
    return None if not whole else (D(part) * 100 / whole).quantize(D("0.01"))


def fill_services(c) -> None:
    c.execute(SERVICES_DDL)
    for as_at, pid, name, dcode, capital, budget, forecast, base, fore, rags, overall in \
            PROJECTS:
        c.execute(
            "insert into marts.project_status values (%s,%s,%s,%s,'delivery',%s,%s,0,%s,%s,%s,"
            "%s,%s,%s::date - %s::date,%s,%s,%s,%s,%s,null,%s)",
            (as_at, pid, name, dcode, capital, budget, forecast, forecast - budget,
             _pct(forecast - budget, budget), base, fore, fore, base, *rags, overall,
             PROJECT_SHAS[as_at]))
    for period, start, phone, online, email, answered, resolved, not_abandoned in CONTACT:
        for channel, n in (("phone", phone), ("online form", online), ("email", email)):
            c.execute("insert into marts.contact_monthly (fiscal_year, period, month_start, "
                      "channel, contacts, phone_answer_rate) values ('2025-26',%s,%s,%s,%s,%s)",
                      (period, start, channel, n,
                       _pct(answered, phone) if channel == "phone" else None))
        total = phone + online + email
        c.execute("insert into marts.contact_monthly (fiscal_year, period, month_start, "
                  "channel, contacts, resolved, not_abandoned, digital_share, "
                  "resolved_first_contact) values ('2025-26',%s,%s,'all',%s,%s,%s,%s,%s)",
                  (period, start, total, resolved, not_abandoned, _pct(online + email, total),
                   _pct(resolved, not_abandoned)))
    for cid, title, start, end, statutory, days, required, status, notified, in_time in \
            CONSULTATIONS:
        c.execute("insert into marts.consultation_compliance values "
                  "(%s,%s,'SVC',%s,%s,%s,%s,false,%s,%s,%s,%s,%s,3,%s)",
                  (cid, title, start, end, statutory, days, required,
                   None if statutory else status == "compliant", status, notified, in_time,
                   CONSULT_SHA))
    for as_at, dcode, course, due, on_time in TRAINING:
        c.execute("insert into marts.training_compliance values (%s,%s,%s,%s,%s,%s,0,%s,0,%s)",
                  (as_at, dcode, course, due, due, on_time, due - on_time, _pct(on_time, due)))
    for d, sha in PROJECT_SHAS.items():
        c.execute("insert into ops.files (sha256, feed, file_name, arrived_at, outcome, "
                  "rows_read, rows_loaded, rows_quarantined, size_bytes, archive_path, run_id) "
                  "values (%s,'services/projects',%s,'2025-10-05 09:00+01','loaded',4,4,0,100,"
                  "'archive/x','ingest-4')", (sha, f"projects_{d}.csv"))
    c.execute("insert into ops.files (sha256, feed, file_name, arrived_at, outcome, rows_read, "
              "rows_loaded, rows_quarantined, size_bytes, archive_path, run_id) values "
              "(%s,'services/consultations','consultations.csv','2025-10-05 09:00+01','loaded',"
              "5,5,0,100,'archive/x','ingest-4')", (CONSULT_SHA,))
    fill_dated_files(c)


def fill_dated_files(c) -> None:
    """The raw contact and training rows (and their files) the lineage finds by date."""
    meta = "_file_id, _sha256, _line_number, _loaded_at"
    for name, sha in DATED_SHAS.items():
        feed = "customer/contacts" if name.startswith("contacts") else "workforce/training"
        file_id = c.execute(
            "insert into ops.files (sha256, feed, file_name, arrived_at, outcome, rows_read, "
            "rows_loaded, rows_quarantined, size_bytes, archive_path, run_id) values "
            "(%s,%s,%s,'2025-10-05 09:00+01','loaded',1,1,0,100,'archive/x','ingest-5') "
            "returning file_id", (sha, feed, f"{name}.csv")).fetchone()[0]
        if name.startswith("contacts"):
            received = {"contacts_a": "2025-09-30 10:00+00", "contacts_b": "2025-09-30 23:30+00",
                        "contacts_c": "2025-08-01 10:00+00"}[name]
            c.execute(f"insert into raw.customer__contacts (contact_id, received_at, channel, "
                      f"{meta}, _replaced_at) values (%s, %s, 'phone', %s, %s, 1, now(), %s)",
                      (name, received, file_id, sha,
                       "2025-10-01 09:00+01" if name == "contacts_c" else None))
        else:
            as_at = {"training_0630": "2025-06-30", "training_0930": "2025-09-30",
                     "training_1031": "2025-10-31"}[name]
            c.execute(f"insert into raw.workforce__training (as_at_date, person_ref, course, "
                      f"{meta}) values (%s, 'X1', 'cyber security', %s, %s, 1, now())",
                      (as_at, file_id, sha))


def drop_services(c) -> None:
    """No services mart: the report layer then stands in empty ones (report_models.build)."""
    c.execute("drop table if exists marts.project_status, marts.contact_monthly, "
              "marts.consultation_compliance, marts.training_compliance")


def rebuild_reports(c) -> None:
    """(Re)build the report models over the marts as they are now."""
    import report_models

    report_models.build(c)


@pytest.fixture(name="services_marts")
def services_marts_fixture(conn):
    """The Cabinet fixtures' marts (with the risk register) plus the services marts."""
    fill_marts(conn)
    fill_ops(conn)
    fill_indicators(conn)
    fill_finance_p06(conn)
    fill_cabinet_ops(conn)
    fill_risk(conn)
    fill_services(conn)
    rebuild_reports(conn)
    return conn


# Year-end additions for 2025-26: finance at periods 12 and 13 (13 is read), and
# year-to-date indicator rows at 31/03/2026.
# Period 13: ADU budget 1,800,000 outturn 1,850,000 (+50,000); CHI 1,200,000 -> 1,180,000
# (-20,000); council 3,000,000 -> 3,030,000, +30,000 (1.00%).
YEAR_END_FINANCE = {12: [("ADU", 1_800_000, 1_900_000, "Red"),
                         ("CHI", 1_200_000, 1_200_000, "Green")],
                    13: [("ADU", 1_800_000, 1_850_000, "Red"),
                         ("CHI", 1_200_000, 1_180_000, "Green")]}
# id, value, target, rag: CHI01 ytd 3 people -> <5; ADU02 ytd 12 shown.
YEAR_END_YTD = [("ADU01", "79.5", 85, "Red"), ("CHI01", "3", 2, "Red"),
                ("ADU02", "12", None, "Data only"), ("PLA01", "51.0", 50, "Green")]


def fill_year_end(c) -> None:
    from cabinet_fixtures import DIRS, IND_VALUES_SHA, INDICATORS

    for period, rows in YEAR_END_FINANCE.items():
        for code, budget, outturn, rag in rows:
            c.execute("insert into marts.finance_outturn_directorate values "
                      "('2025-26',%s,'2026-03-31',%s,%s,%s,%s,%s,%s,%s,%s,null)",
                      (period, code, DIRS[code], budget, outturn, outturn, outturn - budget,
                       _pct(outturn - budget, budget), rag))
        b, o = sum(r[1] for r in rows), sum(r[2] for r in rows)
        c.execute("insert into marts.finance_outturn_council values "
                  "('2025-26',%s,'2026-03-31',%s,%s,%s,%s,%s,'Amber',null)",
                  (period, b, o, o, o - b, _pct(o - b, b)))
    for ind, value, target, rag in YEAR_END_YTD:
        name, dcode, priority, unit, polarity, agg, decimals, freq, public = INDICATORS[ind]
        c.execute("insert into marts.indicator_results (indicator_id, fiscal_year, "
                  "period_type, period_end, quarter, indicator_name, directorate_code, "
                  "directorate_name, council_plan_priority, frequency, unit, polarity, "
                  "aggregation, decimals, value, target, rag, is_provisional, is_public, "
                  "sha256) values (%s,'2025-26','ytd','2026-03-31',4,%s,%s,%s,%s,%s,%s,%s,%s,"
                  "%s,%s,%s,%s,false,true,%s)",
                  (ind, name, dcode, DIRS[dcode], priority, freq, unit, polarity, agg,
                   decimals, D(value), target, rag, IND_VALUES_SHA))


@pytest.fixture(name="year_end_marts")
def year_end_marts_fixture(services_marts):
    fill_year_end(services_marts)
    rebuild_reports(services_marts)
    return services_marts


