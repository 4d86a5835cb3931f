"""GX suites against the session warehouse, and one verdict per run with dbt's tests.

GX takes seconds to import and a second or two per run, so each test runs only
the suites it is about; the clean run (every suite, with Data Docs) is shared.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from onecouncil.quality import gx_checks
from onecouncil.quality.results import verdict
from onecouncil.quality.run import check_run

FIXTURES = Path(__file__).parent / "fixtures"
FY = "2025-26"

MARTS_DDL = """
drop table if exists marts.finance_outturn, marts.transparency_spend;
create schema if not exists marts;
create table marts.finance_outturn (
    fiscal_year text, period integer, period_end date, cost_centre text, cost_centre_name text,
    service_code text, service_name text, directorate_code text, directorate_name text,
    budget_manager text, current_budget numeric, actual_ytd numeric, forecast_outturn numeric,
    forecast_basis text, variance numeric, variance_pct numeric, rag text, movement numeric,
    commentary text, submitted_at timestamptz, is_unmapped boolean);
create table marts.transparency_spend (
    body_name text, transaction_date date, transaction_number text, supplier_name text,
    amount numeric, department text, expenditure_category text, capital_or_revenue text,
    fiscal_year text, period integer, transaction_month date, sha256 text);
"""

META = {"_file_id": 1, "_sha256": "0" * 64, "_line_number": 1, "_loaded_at": "2025-06-01"}


def insert(conn, table: str, rows: list[dict]) -> None:
    for row in rows:
        row = {**META, **row}
        cols = ", ".join(row)
        marks = ", ".join(["%s"] * len(row))
        conn.execute(f"insert into {table} ({cols}) values ({marks})", list(row.values()))


def ledger_line(tid: str, period: int, cost_centre: str, account: str, amount) -> dict:
    return {"transaction_id": tid, "posting_date": date(2025, 3 + period, 15),
            "fiscal_year": FY, "period": period, "cost_centre": cost_centre,
            "account_code": account, "amount": amount}


def fill_clean(conn) -> None:
    insert(conn, "raw.reference__directorates", [
        {"directorate_code": "ADU", "directorate_name": "Adult Services"},
        {"directorate_code": "PLA", "directorate_name": "Place"}])
    insert(conn, "raw.reference__services", [
        {"service_code": "ASC", "service_name": "Adult Social Care", "directorate_code": "ADU"},
        {"service_code": "HWY", "service_name": "Highways", "directorate_code": "PLA"}])
    insert(conn, "raw.reference__cost_centres", [
        {"cost_centre": "A100", "cost_centre_name": "Residential care", "service_code": "ASC"},
        {"cost_centre": "P500", "cost_centre_name": "Roads", "service_code": "HWY"}])
    insert(conn, "raw.reference__accounts", [
        {"account_code": "1000", "account_name": "Salaries", "account_group": "Employees",
         "account_type": "Expenditure"},
        {"account_code": "4000", "account_name": "Materials",
         "account_group": "Supplies and Services", "account_type": "Expenditure"}])
    insert(conn, "raw.finance__ledger", [
        ledger_line(f"T{p}{cc}", p, cc, acc, amount)
        for p in (1, 2)
        for cc, acc, amount in (("A100", "1000", 41250.10), ("P500", "4000", 1200.00))])
    conn.execute(MARTS_DDL)
    outturn = [
        # cost centre, budget, forecast, basis, rag, commentary
        ("A100", 1_000_000, 1_060_000, "submitted", "Red", "More placements."),
        ("P500", 200_000, 350_000, "carried forward", "Red", "Winter repairs."),
        ("P501", 0, 5_000, "defaulted to budget", "Green", None),
    ]
    for cc, budget, forecast, basis, rag, commentary in outturn:
        conn.execute(
            "insert into marts.finance_outturn (fiscal_year, period, cost_centre, current_budget,"
            " forecast_outturn, forecast_basis, rag, commentary, is_unmapped)"
            " values (%s, 2, %s, %s, %s, %s, %s, %s, false)",
            (FY, cc, budget, forecast, basis, rag, commentary))
    for number, supplier, amount in (("P1", "Crown Nursing Home Ltd", 1250.00),
                                     ("P2", "Redacted personal data", 640.00),
                                     ("P3", "Dr Foster Surgery", -900.00)):
        conn.execute(
            "insert into marts.transparency_spend (body_name, transaction_date,"
            " transaction_number, supplier_name, amount) values (%s, %s, %s, %s, %s)",
            ("Milton Keynes City Council", date(2025, 5, 2), number, supplier, amount))


@pytest.fixture
def clean(conn):
    import report_models

    fill_clean(conn)
    # the suites read staging (not raw) and the thresholds dbt rendered
    report_models.build(conn, layers=("staging", "reports/pack_thresholds"))
    conn.execute("insert into ops.runs (run_id, dag_id, period) values"
                 " ('t-clean', 'transform', '2025-26-P02'), ('t-9m', 'transform', '2025-26-P02'),"
                 " ('t-purple', 'transform', '2025-26-P02'), ('t-dbt', 'transform', '2025-26-P02')")
    yield conn
    conn.execute("drop table if exists marts.finance_outturn, marts.transparency_spend")


def by_name(results):
    return {r.check_name: r for r in results}


def test_clean_data_passes_every_check_stored_once_with_data_docs(clean, settings):
    first = check_run(clean, settings, "t-clean", None)
    assert first.results, "no checks ran"
    assert {r.source for r in first.results} == {"gx"}
    assert [r for r in first.results if r.status != "pass"] == []
    names = {r.check_name for r in first.results}
    assert {s.name for s in gx_checks.load_suites()} == {n.split(":")[0] for n in names}
    assert first.is_final and not first.warnings
    assert gx_checks.docs_index(settings).exists()
    assert (settings.home / "gx" / "great_expectations.yml").exists()
    # the warehouse URL is substituted at run time, never written into the context
    assert "host=" not in (settings.home / "gx" / "great_expectations.yml").read_text()

    # the same run checked again replaces its results
    clean.execute("update marts.finance_outturn set rag = 'Purple' where cost_centre = 'A100'")
    again = check_run(clean, settings, "t-clean", None, build_docs=False)
    count = clean.execute("select count(*) from ops.check_results where run_id = 't-clean'"
                          ).fetchone()[0]
    assert count == len(first.results) == len(again.results)
    assert [r.check_name for r in again.blocking_failures] == [
        "finance_outturn: RAG is Green, Amber or Red"]
    assert clean.execute("select checks_failed, checks_warned from ops.runs"
                         " where run_id = 't-clean'").fetchone() == (1, 0)


def test_a_9m_ledger_line_warns_and_the_verdict_stays_final(clean, settings):
    insert(clean, "raw.finance__ledger", [ledger_line("BIG", 2, "A100", "1000", 9_000_000)])
    got = check_run(clean, settings, "t-9m", None, gx_suites=["raw_ledger"], build_docs=False)
    checks = by_name(got.results)
    five_m = checks["raw_ledger: No single ledger line is over £5 million either way"]
    employees = checks["raw_ledger: Employees lines are between -£500,000 and £500,000"]
    for check in (five_m, employees):
        assert (check.status, check.severity, check.failing_rows) == ("fail", "warning", 1)
        assert check.relation == "staging.stg_finance__ledger"
        assert "9000000" in check.message
    assert checks["raw_ledger: Every ledger line has a period from 1 to 13"].status == "pass"
    assert got.is_final
    assert len(got.warnings) == 2
    assert clean.execute("select checks_failed, checks_warned from ops.runs"
                         " where run_id = 't-9m'").fetchone() == (0, 2)


def test_a_purple_rag_blocks_the_pack(clean, settings):
    clean.execute("update marts.finance_outturn set rag = 'Purple' where cost_centre = 'A100'")
    got = check_run(clean, settings, "t-purple", None, gx_suites=["finance_outturn"],
                    build_docs=False)
    assert not got.is_final
    [failure] = got.blocking_failures
    assert failure.check_name == "finance_outturn: RAG is Green, Amber or Red"
    assert (failure.relation, failure.failing_rows) == ("marts.finance_outturn", 1)
    assert "Purple" in failure.message
    assert verdict(clean, "t-purple") == got


def test_big_variance_without_commentary_warns(clean, settings):
    clean.execute("update marts.finance_outturn set commentary = '  ' where cost_centre = 'P500'")
    got = by_name(gx_checks.run_suites(settings, "t-variance", suites=["finance_outturn"],
                                       build_docs=False))
    check = got["finance_outturn: A forecast more than 50% away from budget has commentary"]
    assert (check.status, check.severity, check.failing_rows) == ("fail", "warning", 1)


def test_a_person_in_the_transparency_publication_blocks(clean, settings):
    clean.execute("insert into marts.transparency_spend (supplier_name, amount) values"
                  " ('Mrs Jane Smith', 700), ('REDACTED PERSONAL DATA', 800), (null, 100)")
    got = by_name(gx_checks.run_suites(settings, "t-spend", suites=["transparency_spend"],
                                       build_docs=False))
    assert got["transparency_spend: No supplier name looks like a person's name"].failing_rows == 2
    assert got["transparency_spend: Every published payment has a supplier name"].status == "fail"
    assert got["transparency_spend: Every published payment is at least the publication "
               "threshold (transparency_threshold) either way"].failing_rows == 1
    assert {r.severity for r in got.values()} == {"blocking"}


def test_a_missing_mart_is_skipped_not_a_crash(clean, settings):
    clean.execute("drop table marts.transparency_spend")
    got = gx_checks.run_suites(settings, "t-missing", suites=["transparency_spend"])
    assert got and {r.status for r in got} == {"skipped"}
    assert all("marts.transparency_spend does not exist" in r.message for r in got)


def test_dbt_and_gx_make_one_verdict(clean, settings):
    got = check_run(clean, settings, "t-dbt", FIXTURES / "dbt_mixed", gx_suites=["raw_ledger"],
                    build_docs=False)
    assert {r.source for r in got.results} == {"dbt", "gx"}
    assert not got.is_final
    assert {r.source for r in got.blocking_failures} == {"dbt"}
    # 3 blocking dbt failures (accepted_values, broken_sql, build: broken), 2 dbt warnings
    assert clean.execute("select checks_failed, checks_warned from ops.runs"
                         " where run_id = 't-dbt'").fetchone() == (3, 2)


def test_missing_dbt_artifacts_block(clean, settings, tmp_path):
    got = check_run(clean, settings, "t-dbt", tmp_path, gx_suites=["raw_ledger"],
                    build_docs=False)
    assert [r.check_name for r in got.blocking_failures] == ["dbt artifacts"]


def test_the_publication_threshold_is_the_one_dbt_rendered(clean, settings):
    """The check reads reports.pack_thresholds, as the packs do: a council that publishes
    from £250 has a £300 payment pass and a £200 one fail."""
    clean.execute("update reports.pack_thresholds set value = '250'"
                  " where name = 'transparency_threshold'")
    clean.execute("insert into marts.transparency_spend (supplier_name, amount) values"
                  " ('Acme Ltd', 300), ('Acme Ltd', -200)")
    got = by_name(gx_checks.run_suites(settings, "t-threshold", suites=["transparency_spend"],
                                       build_docs=False))
    check = got["transparency_spend: Every published payment is at least the publication "
                "threshold (transparency_threshold) either way"]
    assert (check.status, check.failing_rows) == ("fail", 1)


def _runs(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*/*")}


def test_gx_keeps_the_results_and_data_docs_of_the_last_runs_only(clean, settings):
    """The service checks after every load: GX's stores (and the Data Docs index built from
    every stored result) must not grow for ever. ops.check_results keeps every run."""
    keep_two = dataclasses.replace(settings, gx_keep_runs=2)
    root = gx_checks.gx_root(settings) / "uncommitted"
    for run in ("t-keep-1", "t-keep-2", "t-keep-3"):
        gx_checks.run_suites(keep_two, run, suites=["finance_outturn"])
    assert {"t-keep-2", "t-keep-3"} <= _runs(root / "validations")
    assert "t-keep-1" not in _runs(root / "validations")
    assert len(_runs(root / "validations")) == 2
    docs = root / "data_docs" / "local_site"
    assert _runs(docs / "validations") == {"t-keep-2", "t-keep-3"}
    index = (docs / "index.html").read_text()
    assert "t-keep-3" in index and "t-keep-1" not in index
    # the run being checked stays whatever its age, even when newer runs go
    keep_one = dataclasses.replace(settings, gx_keep_runs=1)
    gx_checks.run_suites(keep_one, "t-keep-2", suites=["finance_outturn"], build_docs=False)
    assert _runs(root / "validations") == {"t-keep-2"}


def test_prune_orders_runs_by_their_newest_validation_and_spares_the_current(tmp_path):
    def stored(suite: str, run: str, at: str) -> None:
        for store in ("uncommitted/validations",
                      "uncommitted/data_docs/local_site/validations"):
            page = tmp_path / store / suite / run / at / "warehouse-x.json"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text("{}")

    stored("finance_outturn", "manual__2026-12-01T09:00:00+00:00", "20261201T090001Z")
    stored("finance_outturn", "scheduled__2026-12-02T06:30:00+00:00", "20261202T063001Z")
    stored("raw_ledger", "scheduled__2026-12-02T06:30:00+00:00", "20261202T063002Z")
    stored("raw_ledger", "asset_triggered__2026-12-03T07:00:00+00:00", "20261203T070001Z")
    stored("raw_ledger", "manual__old", "20261101T000000Z")
    stored("raw_ledger", "manual__old", "20261101T000100Z")  # checked again

    gone = gx_checks.prune_results(tmp_path, 2, current="manual__old")
    assert sorted(gone) == ["manual__2026-12-01T09:00:00+00:00",
                            "scheduled__2026-12-02T06:30:00+00:00"]
    for store in ("uncommitted/validations", "uncommitted/data_docs/local_site/validations"):
        assert _runs(tmp_path / store) == {"asset_triggered__2026-12-03T07:00:00+00:00",
                                           "manual__old"}
        assert [t.name for t in (tmp_path / store / "raw_ledger" / "manual__old").iterdir()
                ] == ["20261101T000100Z"]
