"""The risk and internal audit marts against a real warehouse: a simulated quarter.

One module-scoped `dbt build` of the risk and audit models (their data tests and unit
tests included), then a second to show the marts rebuild identically. Assertions
compare the marts with the raw data or with docs/risk-audit-marts.md, never with
constants copied from SQL.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from .dbt_checks import by_type, mart_columns, severity_mismatches, spec_columns
from .dbt_checks import rows as _rows

from onecouncil.settings import REPO_ROOT

MART_SPEC = REPO_ROOT / "docs" / "risk-audit-marts.md"
MARTS = ["risk_register", "audit_engagements", "audit_plan_progress", "audit_recommendations",
         "audit_implementation"]
FEEDS_USED = ("reference/directorates", "risk/register", "audit/engagements",
              "audit/recommendations")
# The directorates are there for the relationship tests; `cautious` leaves out the
# finance tests that also point at them.
BUILD = ["build", "--indirect-selection", "cautious", "--select",
         " ".join(["stg_reference__directorates", *(f"+{m}" for m in MARTS)])]
GX_SUITES = ["risk_register_quality", "audit_engagements_quality",
             "audit_recommendations_quality"]


def _contents(conn) -> dict[str, list[tuple]]:
    return {m: _rows(conn, f"select * from marts.{m} order by 1, 2") for m in MARTS}


@pytest.fixture(scope="module")
def built(warehouse, settings, tmp_path_factory):
    """Simulate 2025-26 P01-P03, ingest the risk and audit feeds, drop one open risk from
    the last register snapshot, build the risk and audit models twice."""
    from onecouncil.calendar import FiscalPeriod
    from onecouncil.feeds import FEEDS
    from onecouncil.ingest.run import ingest_feed
    from onecouncil.simulate import simulate
    from onecouncil.transform.dbt import run_dbt
    from onecouncil.warehouse import connect

    landing = tmp_path_factory.mktemp("risk-audit-landing")
    simulate(landing, FiscalPeriod.parse("2025-26-P03"), scale=0.05, seed=3)
    with connect(autocommit=True) as conn:
        tables = ["ops.check_results", "ops.quarantine", "ops.files", "ops.runs"]
        tables += [f"raw.{f.table}" for f in FEEDS]
        conn.execute(f"truncate {', '.join(tables)} restart identity cascade")
        for feed in FEEDS:
            if feed.folder in FEEDS_USED:
                ingest_feed(conn, feed, landing, run_id="risk-audit-test", settings=settings)
        # A risk the risk system stopped exporting without closing it.
        (last,) = conn.execute("select max(snapshot_date) from raw.risk__register").fetchone()
        (gone,) = conn.execute(
            "select min(risk_id) from raw.risk__register where snapshot_date = %s"
            " and status = 'open' and _replaced_at is null", (last,)).fetchone()
        conn.execute("delete from raw.risk__register where snapshot_date = %s and risk_id = %s",
                     (last, gone))

        first = run_dbt(BUILD, settings)
        contents_first = _contents(conn)
        second = run_dbt(BUILD, settings)
        contents_second = _contents(conn)
        yield {"first": first, "second": second, "gone": gone, "last": last,
               "contents": (contents_first, contents_second)}


def test_build_succeeds_and_every_unit_test_passes(built):
    result = built["first"]
    assert result.success, result.exception
    grouped = by_type(result)
    unit = {r.node.name: str(r.status) for r in grouped["unit_test"]
            if r.node.name.startswith(("risk_", "audit_"))}
    assert len(unit) >= 13, sorted(unit)
    assert {n for n, s in unit.items() if s != "pass"} == set()
    for rule in ("risk_rating_band_edges", "risk_above_appetite_only_when_current_exceeds_target",
                 "risk_review_overdue_the_day_after_it_is_due",
                 "risk_movement_up_down_no_change_new_closed",
                 "audit_plan_progress_out_of_scope_excluded_restricted_counted",
                 "audit_recommendation_overdue_and_days_overdue",
                 "audit_implementation_rate_of_recommendations_due"):
        assert rule in unit
    failed = [(r.node.name, str(r.status)) for r in grouped["test"] if str(r.status) != "pass"]
    assert not failed


def test_every_data_test_states_its_severity(built):
    assert severity_mismatches(built["first"]) == []


def test_marts_have_the_spec_columns_in_order(db, built):
    spec = spec_columns(MART_SPEC)
    assert set(spec) == set(MARTS)
    for mart, columns in spec.items():
        assert mart_columns(db, mart) == columns, mart


def test_restricted_engagements_are_counted_in_plan_totals(db, built):
    raw = _rows(db, "select snapshot_date, plan_year,"
                    " count(*) filter (where status not in ('cancelled', 'deferred')),"
                    " count(*) filter (where restricted"
                    " and status not in ('cancelled', 'deferred'))"
                    " from raw.audit__engagements where _replaced_at is null"
                    " group by 1, 2 order by 1, 2")
    marts = _rows(db, "select snapshot_date, plan_year, audits_in_scope, restricted_audits"
                      " from marts.audit_plan_progress order by 1, 2")
    assert marts == raw
    assert sum(r[3] for r in marts) > 0, "the simulator's restricted investigation is missing"
    flagged = _rows(db, "select count(*) from marts.audit_engagements where is_restricted")
    assert flagged[0][0] == sum(r[3] for r in marts) + _rows(
        db, "select count(*) from marts.audit_engagements where is_restricted and not in_scope"
    )[0][0]


def test_recommendations_add_up_to_the_implementation_rate(db, built):
    per_priority = _rows(
        db, "select snapshot_date, priority, count(*) filter (where is_due),"
            " count(*) filter (where is_due and status = 'implemented'),"
            " count(*) filter (where is_overdue),"
            " count(*) filter (where is_due and status = 'open' and not is_overdue)"
            " from marts.audit_recommendations group by 1, 2 order by 1, 2")
    implementation = _rows(db, "select snapshot_date, priority, due, implemented, overdue,"
                               " open_and_due from marts.audit_implementation"
                               " where due > 0 order by 1, 2")
    assert implementation == per_priority
    rates = _rows(db, "select implemented, overdue, open_and_due, implementation_rate"
                      " from marts.audit_implementation")
    for implemented, overdue, open_and_due, rate in rates:
        judged = implemented + overdue + open_and_due
        expected = None
        if judged:
            expected = (Decimal(100 * implemented) / judged).quantize(Decimal("0.01"),
                                                                      ROUND_HALF_UP)
        assert rate == expected


def test_a_risk_missing_from_a_snapshot_is_shown_closed_once(db, built):
    rows = _rows(db, "select snapshot_date, status, movement, in_snapshot, previous_score,"
                     " current_score from marts.risk_register where risk_id = %s"
                     " order by snapshot_date", built["gone"])
    assert rows[-1][:4] == (built["last"], "closed", "closed", False)
    assert rows[-1][4] == rows[-2][5] == rows[-1][5]
    assert _rows(db, "select count(*) from marts.risk_register where not in_snapshot") == [(1,)]
    first_snapshot = rows[0][0]
    assert _rows(db, "select distinct movement from marts.risk_register"
                     " where snapshot_date = %s", first_snapshot) == [("new",)]


def test_second_build_gives_identical_marts(built):
    assert built["second"].success
    first, second = built["contents"]
    assert all(first[m] for m in MARTS), [m for m in MARTS if not first[m]]
    assert first == second


def test_quality_checks_pass_then_catch_each_fault(db, built, settings):
    from onecouncil.quality import gx_checks

    clean = gx_checks.run_suites(settings, "risk-audit-clean", suites=GX_SUITES,
                                 build_docs=False)
    assert len(clean) == 5
    assert [r.check_name for r in clean if r.status != "pass"] == []

    # One fault per check in the latest snapshots (the last test of the module: the
    # marts were already compared; an investigation without an opinion is no fault).
    db.execute("update raw.risk__register set current_impact = 6, owner = ' ',"
               " target_likelihood = 5, target_impact = 5, inherent_likelihood = 1"
               " where ctid = (select ctid from raw.risk__register where status = 'open'"
               " order by snapshot_date desc, risk_id limit 1)")
    db.execute("update raw.audit__engagements set status = 'final report',"
               " assurance_opinion = null where ctid = (select ctid from"
               " raw.audit__engagements where audit_type = 'assurance'"
               " order by snapshot_date desc, audit_id limit 1)")
    db.execute("update raw.audit__engagements set status = 'final report',"
               " assurance_opinion = null where audit_type = 'investigation'")
    db.execute("update raw.audit__recommendations set status = 'implemented',"
               " implemented_date = null where ctid = (select ctid from"
               " raw.audit__recommendations order by snapshot_date desc,"
               " recommendation_id limit 1)")
    faulty = {r.check_name: r for r in gx_checks.run_suites(
        settings, "risk-audit-faulty", suites=GX_SUITES, build_docs=False)}
    assert {n: (r.status, r.severity, r.failing_rows) for n, r in faulty.items()} == {
        "risk_register_quality: Every likelihood and impact is from 1 to 5":
            ("fail", "blocking", 1),
        "risk_register_quality: No risk's target score is above its inherent score":
            ("fail", "warning", 1),
        "risk_register_quality: Every open risk has an owner": ("fail", "warning", 1),
        "audit_engagements_quality: Every final assurance or follow-up report has an opinion"
        " (investigations, grants and advisory work give none)": ("fail", "blocking", 1),
        "audit_recommendations_quality: Every implemented recommendation has an implemented date":
            ("fail", "warning", 1),
    }
