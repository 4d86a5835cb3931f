"""Late and missing data, seen before the pack is due: late feeds and the forecast chase."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")


def _arrived(conn, feed: str, name: str, when: str, outcome: str = "loaded",
             reason: str | None = None) -> str:
    """A file as ingest records it in ops.files (arrival time = the file's own time)."""
    sha = hashlib.sha256(f"{feed}/{name}/{when}".encode()).hexdigest()
    conn.execute(
        "insert into ops.files (sha256, feed, file_name, arrived_at, outcome, reason,"
        " size_bytes, archive_path) values (%s, %s, %s, %s, %s, %s, 100, 'archive/x')",
        (sha, feed, name, datetime.fromisoformat(when).replace(tzinfo=LONDON), outcome, reason))
    return sha


def test_each_feed_declares_the_cadence_the_contract_gives_it():
    from onecouncil.feeds import FEEDS

    cadence = {f.folder: f.cadence for f in FEEDS}
    assert {k: cadence[k] for k in ("finance/ledger", "finance/forecast",
                                    "performance/indicator_values", "risk/register",
                                    "workforce/training", "customer/contacts")} == {
        "finance/ledger": "monthly", "finance/forecast": "monthly",
        "performance/indicator_values": "monthly", "risk/register": "monthly",
        "workforce/training": "quarterly", "customer/contacts": "daily"}
    assert cadence["reference/cost_centres"] is None  # a snapshot sent when it changes


def test_an_unknown_cadence_is_refused_at_declaration():
    from onecouncil.feeds.model import Column, Feed

    with pytest.raises(ValueError, match="unknown cadence 'fortnightly'"):
        Feed("x/y", (Column("a"),), cadence="fortnightly")


def test_a_late_feed_warns_in_the_checks_and_the_pack_and_emails_once(
        conn, smtp, notifications, monkeypatch):
    from onecouncil.packs.render import checks_summary, environment
    from onecouncil.pipelines.watch import check_freshness
    from onecouncil.quality.results import CheckResult, latest_verdict, store

    _arrived(conn, "finance/ledger", "ledger_p04.csv", "2025-08-04T09:00")
    _arrived(conn, "finance/ledger", "ledger_p05_v1.csv", "2025-09-03T09:00", "refused",
             "control total mismatch: TOTAL row says 10.00, the rows sum to 9.00")
    _arrived(conn, "customer/contacts", "contacts_2025-09-15.csv", "2025-09-15T07:00")
    now = datetime(2025, 9, 15, 6, 30, tzinfo=LONDON)  # ledger due by 11 September
    # The last transform, whose checks the packs render with, passed everything.
    conn.execute("insert into ops.runs (run_id, dag_id, finished_at, outcome)"
                 " values ('transform-1', 'transform', now(), 'success')")
    store(conn, "transform-1", [CheckResult("dbt", "not_null_ledger_amount", "marts.x",
                                            "blocking", "pass")])

    result = check_freshness("watch-1", now)
    assert result["late"] == ["finance/ledger"]

    [ledger] = conn.execute(
        "select severity, status, relation, message from ops.check_results"
        " where run_id = 'watch-1' and check_name = 'freshness of finance/ledger'").fetchall()
    assert ledger[:3] == ("warning", "fail", "raw.finance__ledger")
    assert "the last file loaded is ledger_p04.csv, received 04 August 2025" in ledger[3]
    assert "ledger_p05_v1.csv (03 September 2025), was refused: control total" in ledger[3]
    statuses = dict(conn.execute(
        "select check_name, status from ops.check_results where run_id = 'watch-1'").fetchall())
    assert statuses["freshness of customer/contacts"] == "pass"
    assert statuses["freshness of risk/register"] == "skipped"  # never sent a file yet

    # The next pack's data-quality section (the verdict every pack renders with).
    checks = checks_summary(latest_verdict(conn))
    html = environment().from_string(
        "{% from 'macros.html' import data_quality %}{{ data_quality(lineage, checks) }}"
    ).render(lineage={"data_version_short": "abc", "source_files": [], "quarantine": []},
             checks=checks)
    assert "freshness of finance/ledger" in html and "ledger_p04.csv" in html
    assert "freshness of customer/contacts" not in html  # on time: not a warning
    assert checks["is_final"] and checks["warnings_failed"] == 1  # a warning, not a draft

    msg = smtp.only("late-feed:finance/ledger:")
    assert msg["Subject"].strip() == (
        "[onecouncil] finance/ledger is late (last file ledger_p04.csv)")
    text = msg.get_content()
    assert "What to do next:" in text and "finance/ledger/" in text
    [row] = notifications("late feed")
    assert row["delivered"] and row["event_key"] == msg["X-Onecouncil-Event"]

    check_freshness("watch-2", datetime(2025, 9, 16, 6, 30, tzinfo=LONDON))
    assert len(smtp.messages) == 1, "the same lateness must not notify twice"

    _arrived(conn, "finance/ledger", "ledger_p05_v2.csv", "2025-09-16T10:00")
    check_freshness("watch-3", datetime(2025, 9, 17, 6, 30, tzinfo=LONDON))
    assert len(smtp.messages) == 1
    assert latest_verdict(conn).warnings == []  # the new file ends the lateness


@pytest.mark.parametrize(("today", "expected"), [
    (date(2025, 9, 9), None),  # P05 (August) ends 31 August: not yet the 10th day
    (date(2025, 9, 10), "2025-26-P05"),
    (date(2025, 9, 11), "2025-26-P05"),
    (date(2025, 9, 12), None),  # P05's packs are due on 12 September 2025: too late
    (date(2026, 1, 12), "2025-26-P09"),  # December: its pack is due after the holidays
])
def test_the_chase_day_runs_from_the_10th_day_until_the_pack_is_due(today, expected):
    from onecouncil.pipelines.watch import period_to_chase

    found = period_to_chase(today)
    assert (str(found) if found else None) == expected


COMPLIANCE_DDL = """
create schema if not exists intermediate;
drop table if exists intermediate.int_finance__submission_compliance,
    intermediate.int_reference__org_at_period_end;
create table intermediate.int_finance__submission_compliance (
    fiscal_year text, period integer, period_end date, deadline timestamptz,
    cost_centre text, directorate_code text, directorate_name text,
    submitted_at timestamptz, submission_status text);
create table intermediate.int_reference__org_at_period_end (
    fiscal_year text, period integer, period_end date, cost_centre text,
    cost_centre_name text, budget_manager text, service_code text, service_name text,
    directorate_code text, directorate_name text, is_active boolean);
"""


def test_the_chase_list_names_the_cost_centres_without_a_forecast_once(warehouse, smtp):
    """Over hand-made compliance models, inside a transaction rolled back at the end so
    the dbt-built intermediate tables of other tests are left as they were."""
    from onecouncil.pipelines.watch import chase_forecasts
    from onecouncil.warehouse import connect

    with connect() as tx:
        tx.execute("delete from ops.notifications")
        tx.execute(COMPLIANCE_DDL)
        tx.execute("""
            insert into intermediate.int_finance__submission_compliance
            select '2025-26', 5, '2025-08-31', '2025-09-10 23:59:59.999999+01', cc, 'ADU',
                   'Adult Services',
                   case when s = 'on time' then timestamptz '2025-09-05 10:00+01' end, s
            from (values ('CC101', 'on time'), ('CC102', 'not submitted'),
                         ('CC103', 'not submitted')) v(cc, s);
            insert into intermediate.int_reference__org_at_period_end
            select '2025-26', 5, '2025-08-31', cc, name, manager, 'S1', 'Social care', 'ADU',
                   'Adult Services', true
            from (values ('CC101', 'Day centres', 'A. Khan'), ('CC102', 'Home care', 'B. Lee'),
                         ('CC103', 'Reablement', 'C. Patel')) v(cc, name, manager);
        """)
        first = chase_forecasts(date(2025, 9, 10), tx)
        again = chase_forecasts(date(2025, 9, 11), tx)
        rows = tx.execute("select period, delivered, subject from ops.notifications"
                          " where kind = 'forecast chase'").fetchall()
        tx.rollback()
    assert first["missing"] == 2 and first["delivered"]
    assert again["missing"] == 2
    msg = smtp.only("forecast-chase:2025-26-P05")
    assert msg["Subject"].strip() == (
        "[onecouncil] Forecasts 2025-26-P05: 2 of 3 cost centres not submitted")
    text = msg.get_content()
    assert "CC102 | Home care | B. Lee" in text and "CC103 | Reablement | C. Patel" in text
    assert "CC101" not in text
    assert "due by the end of 10 September 2025" in text
    assert rows == [("2025-26-P05", True, msg["Subject"].strip().removeprefix("[onecouncil] "))]


def test_no_chase_outside_the_chase_days(conn, smtp, notifications):
    from onecouncil.pipelines.watch import chase_forecasts

    assert chase_forecasts(date(2025, 9, 20)) == {"period": None}
    assert smtp.messages == [] and notifications() == []


def test_a_warehouse_made_before_freshness_checks_accepts_them_after_migrate(conn):
    from onecouncil.quality.results import CheckResult, store
    from onecouncil.warehouse.schema import migrate

    conn.execute("alter table ops.check_results drop constraint check_results_source_check;"
                 " alter table ops.check_results add constraint check_results_source_check"
                 " check (source in ('dbt', 'gx'))")
    if conn.execute("select to_regclass('ops.schema_versions')").fetchone()[0]:
        conn.execute("delete from ops.schema_versions")  # as if made by an older version
    migrate(conn)
    migrate(conn)  # idempotent
    conn.execute("insert into ops.runs (run_id, dag_id) values ('old', 'data_watch')")
    store(conn, "old", [CheckResult("freshness", "freshness of finance/ledger", None,
                                    "warning", "pass")])
    assert conn.execute("select count(*) from ops.check_results where source = 'freshness'"
                        ).fetchone() == (1,)
