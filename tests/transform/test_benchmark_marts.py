"""Benchmark marts over the real published sample, checked against Python's own statistics.

The shared sample (../shared/data/benchmarks) is ingested with a small declarations file
(polarity for three measures, one linked to a council indicator) and the benchmark
models are built with their data and unit tests. Medians, quartiles and ranks of three
real measures, every period, are then worked out here from the CSVs with
statistics.quantiles(method='inclusive') (the type 7 method percentile_cont uses) and
compared with marts.benchmark_comparison.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import statistics
from collections import defaultdict
from pathlib import Path

import pytest

from .dbt_checks import rows as _rows

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "benchmarks"
COUNCIL = "E06000042"  # Milton Keynes

pytestmark = pytest.mark.skipif(not SAMPLE.is_dir(), reason=f"{SAMPLE} not present")

# (file, indicator, measure, unit, breakdown column value, polarity)
MEASURES = [
    ("climate/household_waste_recycling.csv",
     "Household waste sent for reuse, recycling or composting", "Percentage", "Waste", None,
     "higher"),
    ("poverty/claimant_count.csv", "Claimants as a proportion of residents aged 16-64",
     "Percentage", "Persons", None, "lower"),
    ("health/healthy_life_expectancy.csv", "Healthy life expectancy at birth",
     "Life expectancy", "Years", "Female", "higher"),
]

DECLARATIONS = (
    "indicator,measure,polarity,indicator_id,short_name\n"
    '"Household waste sent for reuse, recycling or composting",Percentage,higher,ENV-01,'
    "Household waste recycled\n"
    "Claimants as a proportion of residents aged 16-64,,lower,,Claimant rate\n"
    "Healthy life expectancy at birth,,higher,,Healthy life expectancy\n"
)


@pytest.fixture(scope="module")
def built(warehouse, settings, tmp_path_factory):
    from onecouncil.feeds import FEEDS
    from onecouncil.ingest.run import ingest_feed
    from onecouncil.transform.dbt import run_dbt
    from onecouncil.warehouse import connect

    landing = tmp_path_factory.mktemp("benchmark-landing")
    for source in sorted(SAMPLE.glob("*.csv")) + sorted(SAMPLE.glob("*/*.csv")):
        feed = "benchmark/comparators" if source.parent == SAMPLE else "benchmark/measures"
        (landing / feed).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, landing / feed / source.name)
    (landing / "benchmark" / "indicators").mkdir(parents=True)
    (landing / "benchmark" / "indicators" / "polarity.csv").write_text(DECLARATIONS)
    for path in landing.rglob("*.csv"):  # arrived a while ago: settled, ready to load
        os.utime(path, (1_750_000_000, 1_750_000_000))
    with connect(autocommit=True) as conn:
        tables = ["ops.check_results", "ops.quarantine", "ops.files", "ops.runs"]
        tables += [f"raw.{f.table}" for f in FEEDS]
        conn.execute(f"truncate {', '.join(tables)} restart identity cascade")
        # cipfa2019 first, then cipfa2021: the later file is the current set
        for feed in FEEDS:
            if feed.folder.startswith("benchmark/"):
                for path in sorted((landing / feed.folder).iterdir()):
                    one = landing / "_one" / feed.folder
                    one.mkdir(parents=True, exist_ok=True)
                    shutil.move(path, one / path.name)
                    outcomes = ingest_feed(conn, feed, landing / "_one", run_id="bench",
                                           settings=settings)
                    assert [o.outcome for o in outcomes] == ["loaded"]
        result = run_dbt(["build", "--select", "+benchmark_comparison", "+benchmark_figures",
                          "+indicator_benchmarks"], settings)
        yield result


@pytest.fixture
def db(built):
    from onecouncil.warehouse import connect

    with connect(autocommit=True) as conn:
        yield conn


def comparators() -> set[str]:
    with (SAMPLE / "cipfa2021.csv").open(newline="", encoding="utf-8-sig") as f:
        return {r["area_code"] for r in csv.DictReader(f)} - {COUNCIL}


def published(file: str, indicator: str, measure: str, unit: str, breakdown: str | None):
    """{period as published: {area_code: figure}} from the CSV, NA left out."""
    figures: dict[str, dict[str, float]] = defaultdict(dict)
    with (SAMPLE / file).open(newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if (r["indicator"], r["measure"], r.get("unit") or r.get("units")) != \
                    (indicator, measure, unit):
                continue
            if breakdown is not None and r["inequality"] != breakdown:
                continue
            if r["value"] != "NA":
                figures[r["period"]][r["area_code"]] = float(r["value"])
    return figures


def competition_rank(council: float, others: list[float], higher_is_better: bool) -> int:
    better = [v for v in others if (v > council if higher_is_better else v < council)]
    return 1 + len(better)


def test_build_passes_every_data_and_unit_test(built):
    assert built.success, [(r.node.name, r.message) for r in built.result.results
                           if r.status not in ("success", "pass")]
    unit_tests = {r.node.name for r in built.result.results
                  if r.node.resource_type == "unit_test"}
    assert {"benchmark_median_quartiles_over_comparators_with_a_figure",
            "benchmark_rank_ties_polarity_and_quartile_position",
            "benchmark_quartile_position_boundaries",
            "benchmark_trend_over_the_last_five_periods"} <= unit_tests


@pytest.mark.parametrize("file,indicator,measure,unit,breakdown,polarity", MEASURES)
def test_median_quartiles_and_rank_match_python_statistics(db, file, indicator, measure, unit,
                                                           breakdown, polarity):
    mart = {r[0]: r[1:] for r in _rows(db, """
        select p.period_as_published, c.comparators_median, c.comparators_lower_quartile,
               c.comparators_upper_quartile, c.comparators_minimum, c.comparators_maximum,
               c.comparators_with_figure, c.council_value, c.council_rank, c.ranked_areas,
               c.polarity
        from marts.benchmark_comparison c
        join (select distinct indicator, measure, unit, breakdown, period_start, period_end,
                     period_as_published from marts.benchmark_figures) p
          using (indicator, measure, unit, breakdown, period_start, period_end)
        where c.indicator = %s and c.measure = %s and c.unit = %s and c.breakdown = %s""",
        indicator, measure, unit, breakdown or "All")}
    figures = published(file, indicator, measure, unit, breakdown)
    members = comparators()
    assert set(mart) == set(figures)
    ranked_any = False
    for period, by_area in figures.items():
        values = sorted(v for a, v in by_area.items() if a in members)
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive") \
            if len(values) > 1 else (values[0],) * 3
        got = mart[period]
        assert [float(x) for x in got[:5]] == pytest.approx(
            [median, q1, q3, values[0], values[-1]], abs=1e-9), period
        assert math.isclose(statistics.median(values), float(got[0]), abs_tol=1e-9)
        assert got[5] == len(values)
        assert got[9] == polarity
        council = by_area.get(COUNCIL)
        if council is None:
            assert got[6:9] == (None, None, None), period
            continue
        ranked_any = True
        assert float(got[6]) == council
        assert got[7] == competition_rank(council, values, polarity == "higher"), period
        assert got[8] == len(values) + 1
    assert ranked_any


def test_areas_outside_the_comparator_set_are_kept_and_flagged(db):
    flags = dict(_rows(db, """
        select area_name, bool_or(in_comparator_set) from marts.benchmark_figures
        where area_name in ('Trafford', 'England', 'Milton Keynes', 'Swindon') group by 1"""))
    # Trafford is the council whose neighbours the sample lists; not one of ours
    assert flags == {"Trafford": False, "England": False, "Milton Keynes": True,
                     "Swindon": True}


def test_a_linked_benchmark_sits_beside_the_council_indicator(db):
    linked = _rows(db, "select indicator_id, short_name, period_label, council_rank, "
                       "ranked_areas, quartile_position from marts.indicator_benchmarks")
    latest = _rows(db, """
        select 'ENV-01', short_name, period_label, council_rank, ranked_areas,
               quartile_position
        from marts.benchmark_comparison
        where measure = 'Percentage' and is_latest_period
          and indicator = 'Household waste sent for reuse, recycling or composting'""")
    assert linked == latest and linked[0][1] == "Household waste recycled"
