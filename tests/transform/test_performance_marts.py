"""The indicator and Council Plan marts against a real warehouse: a simulated quarter.

One module-scoped `dbt build` of the performance marts and everything upstream
(models, data tests, unit tests), then a second run to show they rebuild identically.
Assertions compare the marts with the raw returns and with docs/performance-marts.md,
never with constants copied from the SQL.
"""

from __future__ import annotations

import csv
import io
import os
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from .dbt_checks import by_type, mart_columns, severity_mismatches, spec_columns
from .dbt_checks import rows as _rows

from onecouncil.settings import REPO_ROOT

MART_SPEC = REPO_ROOT / "docs" / "performance-marts.md"
MARTS = ["indicator_results", "plan_action_progress"]
SELECT = ["--select", "+indicator_results", "+plan_action_progress",
          # only tests of these models: other marts' tests on shared staging are not ours
          "--indirect-selection", "cautious"]
# the changed definitions file arrives on 10 June 2025: after P2 ended, before P3 ended
CHANGE_ARRIVES = datetime(2025, 6, 10, 9, 0, tzinfo=UTC)


def _long_form_definitions(wide_csv: str, changed_id: str | None = None,
                           new_target: str = "") -> str:
    """The wide definitions file rewritten as one row per fiscal year (target +
    fiscal_year), optionally with one indicator's 2025-26 target changed."""
    rows = list(csv.DictReader(io.StringIO(wide_csv.lstrip("\ufeff"))))
    years = {k: k.removeprefix("target_").replace("_", "-") for k in rows[0]
             if k.startswith("target_")}
    out = io.StringIO()
    fields = [k for k in rows[0] if k not in years] + ["fiscal_year", "target"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        for column, year in years.items():
            target = row[column]
            if row["indicator_id"] == changed_id and year == "2025-26":
                target = new_target
            writer.writerow({**{k: v for k, v in row.items() if k not in years},
                             "fiscal_year": year, "target": target})
    return out.getvalue()


def _changed_target(wide_csv: str, changed_id: str, new_target: str) -> str:
    """The wide definitions file with one indicator's 2025-26 target changed."""
    reader = csv.DictReader(io.StringIO(wide_csv))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    for row in reader:
        if row["indicator_id"] == changed_id:
            row["target_2025_26"] = new_target
        writer.writerow(row)
    return out.getvalue()


@pytest.fixture(scope="module")
def built(warehouse, settings, tmp_path_factory):
    """Simulate 2025-26 P01-P03, change one target mid-quarter, ingest, dbt build twice."""
    from onecouncil.calendar import FiscalPeriod
    from onecouncil.feeds import FEEDS
    from onecouncil.ingest.run import ingest_feed
    from onecouncil.simulate import simulate
    from onecouncil.transform.dbt import run_dbt
    from onecouncil.warehouse import connect

    landing = tmp_path_factory.mktemp("performance-landing")
    simulate(landing, FiscalPeriod.parse("2025-26-P03"), scale=0.05, seed=5)
    folder = landing / "performance" / "indicators"
    [wide] = list(folder.glob("*.csv"))
    wide_text = wide.read_text(encoding="utf-8-sig")
    changed_id, old_target = next(
        (r["indicator_id"], r["target_2025_26"]) for r in csv.DictReader(io.StringIO(wide_text))
        if (r["frequency"], r["aggregation"], r["polarity"]) == ("monthly", "mean", "higher")
        and r["target_2025_26"])
    new_target = str(Decimal(old_target) + 7)
    changed = folder / "Indicator_Definitions_2025-26_revised.csv"
    changed.write_text(_changed_target(wide_text, changed_id, new_target))
    stamp = CHANGE_ARRIVES.timestamp()  # ingestion takes the arrival time from the file
    os.utime(changed, (stamp, stamp))

    feeds = [f for f in FEEDS if f.folder.startswith(("performance/", "reference/"))]
    with connect(autocommit=True) as conn:
        tables = ["ops.check_results", "ops.quarantine", "ops.files", "ops.runs"]
        tables += [f"raw.{f.table}" for f in FEEDS]
        conn.execute(f"truncate {', '.join(tables)} restart identity cascade")
        for feed in feeds:
            outcomes = ingest_feed(conn, feed, landing, run_id="perf-test", settings=settings)
            assert {o.outcome for o in outcomes} == {"loaded"}, feed.folder

        first = run_dbt(["build", *SELECT], settings)
        snapshot_first = _mart_contents(conn)
        second = run_dbt(["run", *SELECT[:3]], settings)
        snapshot_second = _mart_contents(conn)
        yield {"first": first, "second": second, "snapshots": (snapshot_first, snapshot_second),
               "changed": (changed_id, Decimal(old_target), Decimal(new_target))}


def _mart_contents(conn) -> dict[str, list[tuple]]:
    return {m: _rows(conn, f"select * from marts.{m} order by 1, 2, 3, 4, 5") for m in MARTS}


def test_build_succeeds_and_every_unit_test_passes(built):
    result = built["first"]
    assert result.success, result.exception
    grouped = by_type(result)
    unit = [r for r in grouped["unit_test"] if "performance" in r.node.original_file_path]
    assert len(unit) >= 7
    assert all(str(r.status) == "pass" for r in grouped["unit_test"]), [
        (r.node.name, str(r.status)) for r in grouped["unit_test"] if str(r.status) != "pass"]
    failed = [(r.node.name, str(r.status)) for r in grouped["test"] if str(r.status) != "pass"]
    assert not failed
    # ops.check_results takes the verdict from meta.severity
    assert severity_mismatches(result) == []


def test_marts_have_the_spec_columns_in_order(db, built):
    spec = spec_columns(MART_SPEC)
    assert set(spec) == set(MARTS)
    for mart, columns in spec.items():
        assert mart_columns(db, mart) == columns, mart


def test_every_due_indicator_has_a_row_for_each_period_never_silently_absent(db, built):
    indicators = _rows(db, "select distinct indicator_id, frequency"
                           " from raw.performance__indicators where _replaced_at is null")
    assert len(indicators) == 161
    got = {(i, y, t, e) for i, y, t, e in _rows(
        db, "select indicator_id, fiscal_year, period_type, period_end"
            " from marts.indicator_results")}
    q_ends = {"2024-25": [date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31),
                          date(2025, 3, 31)], "2025-26": [date(2025, 6, 30)]}
    months = {"2024-25": [date(2024, m, 28) for m in range(4, 13)]
              + [date(2025, m, 28) for m in (1, 2, 3)],
              "2025-26": [date(2025, m, 28) for m in (4, 5, 6)]}
    expected = set()
    for indicator, frequency in indicators:
        for year, ends in q_ends.items():
            if frequency == "annual":
                if year == "2024-25":  # 2025-26's year end is after the horizon (June)
                    expected.add((indicator, year, "year", date(2025, 3, 31)))
                continue
            for end in ends:
                expected.add((indicator, year, "ytd", end))
                expected.add((indicator, year, "quarter", end))
            if frequency == "monthly":
                for m in months[year]:
                    end = db.execute("select (date_trunc('month', %s::date)"
                                     " + interval '1 month - 1 day')::date", (m,)).fetchone()[0]
                    expected.add((indicator, year, "month", end))
    assert got == expected

    # a due month with no current value is `Not returned`, with no value
    missing = _rows(db, """
        select r.indicator_id, r.period_end from marts.indicator_results r
        where r.period_type in ('month', 'quarter', 'year') and r.months_covered <= 3
          and (r.period_type = 'month' or r.frequency <> 'monthly')
          and not exists (select 1 from raw.performance__indicator_values v
                          where v._replaced_at is null and v.indicator_id = r.indicator_id
                            and v.period_end = r.period_end)""")
    assert missing, "the simulation leaves some due indicators unreturned"
    not_returned = set(_rows(db, "select indicator_id, period_end from marts.indicator_results"
                                 " where rag = 'Not returned' and value is null"
                                 " and (period_type = 'month' or frequency <> 'monthly')"))
    assert set(missing) == not_returned


def _half_up(x: Decimal, decimals: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def test_quarter_values_follow_each_aggregation_from_the_raw_returns(db, built):
    quarters = _rows(db, "select indicator_id, aggregation, decimals, value, numerator,"
                         " denominator, months_covered, target, is_provisional"
                         " from marts.indicator_results where fiscal_year = '2025-26'"
                         " and period_type = 'quarter' and frequency = 'monthly'"
                         " and value is not null")
    seen = set()
    for ind, aggregation, decimals, value, num, den, months, target, provisional in quarters:
        raw = _rows(db, "select value, numerator, denominator, status from"
                        " raw.performance__indicator_values where _replaced_at is null"
                        " and indicator_id = %s and period_end between '2025-04-01' and"
                        " '2025-06-30' order by period_end", ind)
        values = [r[0] for r in raw]
        if aggregation == "sum":
            expected = sum(values)
        elif aggregation == "mean":
            expected = sum(values) / len(values)
        elif aggregation == "last":
            expected = values[-1]
        else:
            expected = sum(r[1] for r in raw) * 100 / sum(r[2] for r in raw)
        assert value == _half_up(expected, decimals), (ind, aggregation)
        assert months == len(raw)
        assert provisional == any(r[3] == "provisional" for r in raw)
        if aggregation == "ratio":
            assert (num, den) == (sum(r[1] for r in raw), sum(r[2] for r in raw))
        if aggregation == "sum" and target is not None:
            (monthly,) = db.execute("select target from marts.indicator_results where"
                                    " indicator_id = %s and period_type = 'month'"
                                    " and period_end = '2025-06-30'", (ind,)).fetchone()
            assert target == monthly * months
        seen.add(aggregation)
    assert seen == {"sum", "mean", "last", "ratio"}


def test_a_target_changed_mid_quarter_applies_from_its_arrival(db, built):
    indicator, old, new = built["changed"]
    got = dict(_rows(db, "select period_end, target from marts.indicator_results"
                         " where indicator_id = %s and fiscal_year = '2025-26'"
                         " and period_type = 'month'", indicator))
    assert got == {date(2025, 4, 30): old, date(2025, 5, 31): old, date(2025, 6, 30): new}
    (q1,) = db.execute("select target from marts.indicator_results where indicator_id = %s"
                       " and period_type = 'quarter' and period_end = '2025-06-30'",
                       (indicator,)).fetchone()
    assert q1 == new


def test_plan_actions_overdue_past_due_and_not_complete(db, built):
    rows = _rows(db, "select status, due_date, quarter_end, is_overdue, reported_status"
                     " from marts.plan_action_progress")
    raw = _rows(db, "select count(*) from raw.performance__plan_actions"
                    " where _replaced_at is null")[0][0]
    assert len(rows) == raw > 0
    for status, due, quarter_end, overdue, reported in rows:
        assert overdue == (due < quarter_end and status != "complete")
        assert reported == ("overdue" if overdue else status)


def test_second_run_gives_identical_marts(built):
    assert built["second"].success
    first, second = built["snapshots"]
    assert all(first[m] for m in MARTS)
    assert first == second


def test_a_definitions_file_with_target_and_fiscal_year_parses():
    from onecouncil.feeds import FEEDS
    from onecouncil.ingest.parse import ParsedFile
    from onecouncil.ingest.reader import find_header, open_rows

    feed = next(f for f in FEEDS if f.folder == "performance/indicators")
    wide = "indicator_id,indicator_name,directorate_code,frequency,polarity,unit,aggregation," \
           "decimals,target_2025_26\nPI1,Visits,ADS,monthly,higher,number,sum,0,10\n"
    data = _long_form_definitions(wide).encode()
    _, rows = open_rows(data, "long.csv", feed)
    parsed = ParsedFile(feed, find_header(feed, rows), rows, {})
    loaded = [values for _, values, _ in parsed.rows()]
    assert loaded and all(len(v) == len(feed.raw_columns) for v in loaded)
