"""Hand-made benchmark marts for the quarterly packs' "How we compare", counted by hand.

Recycling (higher is better), 2021/22: the council 51.9; comparators 60.3, 53.8, 42.1,
36.5 (and one with no figure). Median (53.8 + 42.1) / 2 = 47.95; quartiles by linear
interpolation (n = 4: h = 1.75 and 3.25) 36.5 + 0.75 x 5.6 = 40.7 and
53.8 + 0.25 x 6.5 = 55.425. The council is 3rd of 5, at or above the median and below the
upper quartile: second quartile. Linked to ADU01, Red in 2025-26 Q2. At the end of Q2
(30 September 2025) the figure (to 31 March 2022) is 42 months old (March to September,
three years on).

Miles driven (polarity none), 2022: no council figure, so not ranked; 33 months old at the
end of Q2, the newest figure shown. Both come from one file. A third series the council
did not declare is left out of the packs.
"""

from __future__ import annotations

from pathlib import Path

import yaml

MART_YAML = (Path(__file__).resolve().parents[2] / "dbt" / "models" / "marts" / "benchmark"
             / "_benchmark__models.yml")
MEASURES_SHA = "b" * 64
COMPARATORS_SHA = "c" * 64
RECYCLING = "Household waste sent for reuse, recycling or composting"
MILES = "Vehicle miles travelled"
AREAS = [("E06000042", "Milton Keynes", True, "51.9"), ("E08000007", "Stockport", False, "60.3"),
         ("E08000002", "Bury", False, "53.8"), ("E06000007", "Warrington", False, "42.1"),
         ("E06000030", "Swindon", False, "36.5"), ("E06000034", "Thurrock", False, None)]


def _columns(model: str) -> list[tuple[str, str]]:
    models = yaml.safe_load(MART_YAML.read_text())["models"]
    spec = next(m for m in models if m["name"] == model)
    return [(c["name"], c["data_type"]) for c in spec["columns"]]


def create_marts(c) -> None:
    """The benchmark marts, empty (a council with no benchmark files yet)."""
    for model in ("benchmark_comparison", "benchmark_figures"):
        cols = ", ".join(f'"{n}" {t}' for n, t in _columns(model))
        c.execute(f"drop table if exists marts.{model} cascade")
        c.execute(f"create table marts.{model} ({cols})")


def _insert(c, model: str, row: dict) -> None:
    names = [n for n, _ in _columns(model)]
    c.execute(f"insert into marts.{model} ({', '.join(names)}) values "
              f"({', '.join(['%s'] * len(names))})", [row.get(n) for n in names])


def fill_benchmarks(c) -> None:
    create_marts(c)
    base = {"unit": "Waste", "breakdown": "All", "period_type": "financial year",
            "council_area_code": "E06000042", "comparators_in_set": 5,
            "source_sha256s": MEASURES_SHA}
    _insert(c, "benchmark_comparison", {
        **base, "indicator": RECYCLING, "short_name": "Household waste recycled",
        "measure": "Percentage", "period_start": "2021-04-01", "period_end": "2022-03-31",
        "period_label": "2021/22", "polarity": "higher", "indicator_id": "ADU01",
        "is_declared": True, "council_value": "51.9", "comparators_median": "47.95",
        "comparators_lower_quartile": "40.7", "comparators_upper_quartile": "55.425",
        "comparators_minimum": "36.5", "comparators_maximum": "60.3",
        "comparators_with_figure": 4, "council_rank": 3, "ranked_areas": 5,
        "rank_is_joint": False, "quartile_position": "second quartile",
        "england_value": "42.5", "period_number": 1, "is_latest_period": True,
        "trend": "improving", "trend_from_period_label": "2017/18", "trend_from_value": "48.2"})
    _insert(c, "benchmark_comparison", {
        **base, "indicator": MILES, "short_name": "Miles driven", "measure": "Frequency",
        "unit": "Miles (million)", "period_type": "calendar year",
        "period_start": "2022-01-01", "period_end": "2022-12-31", "period_label": "2022",
        "polarity": "none", "is_declared": True, "comparators_median": "1181",
        "comparators_lower_quartile": "1181", "comparators_upper_quartile": "1181",
        "comparators_minimum": "1181", "comparators_maximum": "1181",
        "comparators_with_figure": 1, "rank_is_joint": False, "period_number": 1,
        "is_latest_period": True, "trend": "not enough data"})
    _insert(c, "benchmark_comparison", {
        **base, "indicator": "Not declared", "short_name": "Not declared",
        "measure": "Percentage", "period_start": "2021-04-01", "period_end": "2022-03-31",
        "period_label": "2021/22", "polarity": "none", "is_declared": False,
        "comparators_with_figure": 0, "rank_is_joint": False, "period_number": 1,
        "is_latest_period": True, "trend": "not enough data"})
    for code, name, council, value in AREAS:
        _insert(c, "benchmark_figures", {
            "indicator": RECYCLING, "measure": "Percentage", "unit": "Waste",
            "breakdown": "All", "period_type": "financial year", "period_start": "2021-04-01",
            "period_end": "2022-03-31", "period_label": "2021/22",
            "period_as_published": "2021/22", "area_code": code, "area_name": name,
            "value": value, "in_comparator_set": True, "is_council": council,
            "is_england": False, "sha256": MEASURES_SHA, "line_number": 2})
    _insert(c, "benchmark_figures", {
        "indicator": MILES, "measure": "Frequency", "unit": "Miles (million)",
        "breakdown": "All", "period_type": "calendar year", "period_start": "2022-01-01",
        "period_end": "2022-12-31", "period_label": "2022", "period_as_published": "2022",
        "area_code": "E08000007", "area_name": "Stockport", "value": "1181",
        "in_comparator_set": True, "is_council": False, "is_england": False,
        "sha256": MEASURES_SHA, "line_number": 3})
    for feed, name, sha in (("benchmark/measures", "household_waste_recycling.csv", MEASURES_SHA),
                            ("benchmark/comparators", "cipfa2021.csv", COMPARATORS_SHA)):
        file_id = c.execute(
            "insert into ops.files (sha256, feed, file_name, arrived_at, outcome, rows_read,"
            " rows_loaded, rows_quarantined, size_bytes, archive_path, run_id) values"
            " (%s,%s,%s,'2025-10-05 09:00+01','loaded',10,10,0,1000,'archive/x','ingest-3')"
            " returning file_id", (sha, feed, name)).fetchone()[0]
        if feed == "benchmark/comparators":
            c.execute("insert into raw.benchmark__comparators (area_code, area_name, _file_id,"
                      " _sha256, _line_number, _loaded_at) values"
                      " ('E06000042', 'Milton Keynes', %s, %s, 2, now())", (file_id, sha))
