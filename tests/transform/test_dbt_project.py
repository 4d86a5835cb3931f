"""The dbt project against a real warehouse: a small simulated quarter, built once.

One `dbt build` (models, data tests, unit tests) per module, then a second `dbt run` of
the models (not the reports) to show the marts rebuild identically. Every assertion
compares the marts with the raw data or with the column spec in docs/finance-marts.md,
never with constants copied from SQL.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from .dbt_checks import by_type, mart_columns, severity_mismatches, spec_columns
from .dbt_checks import rows as _rows

from onecouncil.settings import REPO_ROOT

MART_SPEC = REPO_ROOT / "docs" / "finance-marts.md"
BROKEN_COST_CENTRE = "CCZZZZ"  # in no reference snapshot
BROKEN_ACCOUNT = "ZZ999"


@pytest.fixture(scope="module")
def built(warehouse, settings, tmp_path_factory):
    """Simulate 2025-26 P01-P03 at 5% scale, add broken ledger lines, ingest, dbt build."""
    from onecouncil.calendar import FiscalPeriod
    from onecouncil.feeds import FEEDS
    from onecouncil.ingest.run import ingest_feed
    from onecouncil.simulate import simulate
    from onecouncil.transform.dbt import run_dbt
    from onecouncil.warehouse import connect

    landing = tmp_path_factory.mktemp("dbt-landing")
    simulate(landing, FiscalPeriod.parse("2025-26-P03"), scale=0.05, seed=3)
    with connect(autocommit=True) as conn:
        tables = ["ops.check_results", "ops.quarantine", "ops.files", "ops.runs"]
        tables += [f"raw.{f.table}" for f in FEEDS]
        conn.execute(f"truncate {', '.join(tables)} restart identity cascade")
        for feed in FEEDS:
            ingest_feed(conn, feed, landing, run_id="dbt-test", settings=settings)
        known_cc, known_account = conn.execute(
            "select cost_centre, account_code from raw.finance__ledger"
            " where cost_centre <> 'CC9999' and account_code <> '49990' limit 1").fetchone()
        # P12 of the same year: lines the reference data does not know, in a period of
        # their own so the simulated periods stay as delivered.
        ledger = landing / "finance" / "ledger"
        ledger.mkdir(parents=True, exist_ok=True)
        (ledger / "broken_p12.csv").write_text(
            "transaction_id,posting_date,fiscal_year,period,cost_centre,account_code,amount\n"
            f"BROKEN-1,2026-03-15,2025-26,12,{BROKEN_COST_CENTRE},{known_account},1234.56\n"
            f"BROKEN-2,2026-03-15,2025-26,12,{known_cc},{BROKEN_ACCOUNT},-20.01\n")
        ledger_feed = next(f for f in FEEDS if f.folder == "finance/ledger")
        outcomes = ingest_feed(conn, ledger_feed, landing, run_id="dbt-test", settings=settings)
        assert [o.outcome for o in outcomes] == ["loaded"]

        first = run_dbt(["build"], settings)
        snapshot_first = _mart_contents(conn)
        # the models again (tests ran in the first build): the marts must come out the same
        second = run_dbt(["run", "--exclude", "path:models/reports"], settings)
        snapshot_second = _mart_contents(conn)
        yield {"first": first, "second": second, "known_cc": known_cc,
               "snapshots": (snapshot_first, snapshot_second)}


MARTS = ["finance_outturn", "finance_outturn_service", "finance_outturn_directorate",
         "finance_outturn_council", "forecast_compliance", "finance_unmapped_lines",
         "payments", "transparency_spend"]


def _mart_contents(conn) -> dict[str, list[tuple]]:
    return {m: _rows(conn, f"select * from marts.{m} order by 1, 2, 3, 4, 5, 6, 7, 8")
            for m in MARTS}


def test_build_succeeds_and_every_unit_test_passes(built):
    result = built["first"]
    assert result.success, result.exception
    grouped = by_type(result)
    unit = grouped["unit_test"]
    assert len(unit) >= 16
    assert all(str(r.status) == "pass" for r in unit), [
        (r.node.name, str(r.status)) for r in unit if str(r.status) != "pass"]
    data_tests = grouped["test"]
    failed = [(r.node.name, str(r.status)) for r in data_tests if str(r.status) != "pass"]
    assert not failed
    assert "assert_ledger_reconciles" in {r.node.name for r in data_tests}


def test_the_build_runs_as_many_nodes_at_once_as_onecouncil_dbt_threads_says(built, settings):
    # profiles.yml reads ONECOUNCIL_DBT_THREADS, which run_dbt sets from the settings
    threads = {r.thread_id for r in built["first"].result.results}
    assert settings.dbt_threads == 4
    assert len(threads) == settings.dbt_threads, sorted(threads)


def test_every_data_test_states_its_severity_for_ops_check_results(built):
    assert severity_mismatches(built["first"]) == []


def test_marts_have_the_spec_columns_in_order(db, built):
    spec = spec_columns(MART_SPEC)
    assert set(spec) == set(MARTS)
    for mart, columns in spec.items():
        assert mart_columns(db, mart) == columns, mart


def test_council_actuals_equal_the_raw_ledger_year_to_date(db, built):
    council = _rows(db, "select fiscal_year, period, actual_ytd, current_budget"
                        " from marts.finance_outturn_council order by 1, 2")
    assert [p for _, p, _, _ in council] == [1, 2, 3, 12]  # periods with data only
    for fiscal_year, period, actual_ytd, budget in council:
        (raw,) = db.execute(
            "select sum(amount) from raw.finance__ledger where _replaced_at is null"
            " and fiscal_year = %s and period <= %s", (fiscal_year, period)).fetchone()
        assert actual_ytd == raw, period
        (raw_budget,) = db.execute(
            "select sum(current_budget) from raw.finance__budget where _replaced_at is null"
            " and fiscal_year = %s", (fiscal_year,)).fetchone()
        assert budget == raw_budget
    # every level adds up to the council
    for mart in ("finance_outturn", "finance_outturn_service", "finance_outturn_directorate"):
        sums = _rows(db, f"select period, sum(actual_ytd), sum(forecast_outturn) from marts.{mart}"
                         " group by 1 order by 1")
        assert sums == _rows(db, "select period, actual_ytd, forecast_outturn"
                                 " from marts.finance_outturn_council order by 1"), mart


def test_unknown_cost_centre_and_account_land_in_unmapped(db, built):
    listed = _rows(db, "select source, cost_centre, account_code, reason, lines, amount"
                       " from marts.finance_unmapped_lines where period = 12"
                       " and (cost_centre = %s or account_code = %s)",
                   BROKEN_COST_CENTRE, BROKEN_ACCOUNT)
    assert sorted(listed) == sorted([
        ("ledger", BROKEN_COST_CENTRE, listed[0][2] if listed[0][1] == BROKEN_COST_CENTRE
         else listed[1][2], "cost centre not in reference data", 1, Decimal("1234.56")),
        ("ledger", built["known_cc"], BROKEN_ACCOUNT, "account not in reference data", 1,
         Decimal("-20.01")),
    ])
    unmapped = dict(_rows(db, "select period, actual_ytd from marts.finance_outturn"
                              " where is_unmapped order by period"))
    # UNMAPPED at P12 = UNMAPPED at P3 + everything unmapped that arrived after (P12's lines)
    assert unmapped[12] - unmapped[3] == Decimal("1234.56") + Decimal("-20.01")
    listed_ytd = _rows(db, "select period, sum(amount) from marts.finance_unmapped_lines"
                           " where source = 'ledger' group by 1 order by 1")
    assert listed_ytd == sorted(unmapped.items())
    directorate = _rows(db, "select actual_ytd from marts.finance_outturn_directorate"
                            " where period = 12 and directorate_code = 'UNMAPPED'")
    assert directorate == [(unmapped[12],)]


def test_second_build_gives_identical_marts(built):
    assert built["second"].success
    first, second = built["snapshots"]
    assert all(first[m] for m in MARTS), [m for m in MARTS if not first[m]]
    assert first == second


def test_individuals_never_named(db, built):
    raw_individuals = _rows(db, "select count(*) from raw.finance__payments where"
                                " _replaced_at is null and lower(trim(supplier_name))"
                                " = 'redacted personal data'")[0][0]
    assert raw_individuals > 0
    shown = _rows(db, "select distinct supplier_name, supplier_id is null from marts.payments"
                      " where is_individual")
    assert shown == [("Redacted personal data", True)]
    assert _rows(db, "select count(*) from marts.payments where is_individual")[0][0] \
        == raw_individuals
    small = _rows(db, "select count(*) from marts.transparency_spend where abs(amount) < 500")
    assert small == [(0,)]


def test_dbt_env_from_a_configured_server_and_the_embedded_socket(tmp_path, warehouse, settings,
                                                                   monkeypatch):
    from onecouncil.settings import Settings
    from onecouncil.transform.dbt import PROJECT_DIR, dbt_env

    configured = Settings(home=tmp_path, database_url="postgresql://etl:own@db.example:6543/wh",
                          airflow_database_url=None, council_name="Testshire Council")
    monkeypatch.setenv("ONECOUNCIL_TRANSFORMER_PASSWORD", "p@ss")  # dbt is the transformer
    env = dbt_env(configured)
    assert {k: env[k] for k in env if k.startswith("ONECOUNCIL_")} == {
        "ONECOUNCIL_DBT_HOST": "db.example", "ONECOUNCIL_DBT_PORT": "6543",
        "ONECOUNCIL_DBT_USER": "onecouncil_transformer", "ONECOUNCIL_DBT_PASSWORD": "p@ss",
        "ONECOUNCIL_DBT_DBNAME": "wh", "ONECOUNCIL_COUNCIL_NAME": "Testshire Council",
        "ONECOUNCIL_DBT_THREADS": "4"}
    assert env["DBT_TARGET_PATH"] == str(tmp_path / "dbt" / "target")
    assert env["DBT_PROFILES_DIR"] == str(PROJECT_DIR)

    embedded = dbt_env(settings)  # the session's embedded server: a socket directory
    assert embedded["ONECOUNCIL_DBT_HOST"] == str(settings.pgdata)
    assert embedded["ONECOUNCIL_DBT_DBNAME"] == "warehouse"
    assert embedded["ONECOUNCIL_DBT_PASSWORD"] == ""
    assert embedded["ONECOUNCIL_DBT_USER"] == "onecouncil_transformer"


def test_money_already_spent_is_never_forecast_as_zero(db, built):
    """rules.md "Finance": spend with no budget and no submission is forecast at its
    actual year to date (`defaulted to actuals`); the broken ledger lines of P12 are such
    spend, in the UNMAPPED line."""
    zero = _rows(db, "select fiscal_year, period, cost_centre from marts.finance_outturn "
                     "where forecast_basis in ('defaulted to budget', 'defaulted to actuals') "
                     "and forecast_outturn = 0 and actual_ytd <> 0")
    assert zero == []
    cc_level = _rows(db, "select count(*) from marts.finance_outturn "
                         "where forecast_basis = 'defaulted to actuals' and not is_unmapped "
                         "and forecast_outturn <> actual_ytd")
    assert cc_level == [(0,)]
    defaulted = _rows(db, "select count(*) from marts.finance_outturn "
                          "where forecast_basis = 'defaulted to actuals'")
    assert defaulted[0][0] > 0, "the broken P12 lines should be forecast at their actuals"


def test_onecouncil_docs_shows_each_pack_as_an_exposure_with_its_lineage(built, settings):
    from onecouncil.packs.declarations import DECLARATIONS
    from onecouncil.transform.docs import build_docs

    page = build_docs(settings)
    assert page == settings.home / "docs" / "index.html"
    text = page.read_text(encoding="utf-8")  # the static page carries dbt's manifest
    for declaration in DECLARATIONS:
        uid = f"exposure.onecouncil.{declaration.name.replace('-', '_')}"
        assert uid in text, f"{uid} is not in the docs"
    assert "model.onecouncil.rpt_cabinet__risk_heat_map" in text
    assert "model.onecouncil.pack_sources" in text
