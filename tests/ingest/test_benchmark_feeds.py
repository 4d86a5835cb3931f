"""Benchmark feeds: the real published sample loads unchanged, periods are read as published.

The shared sample (../shared/data/benchmarks, Trafford Data Lab's copies of DEFRA,
DWP, ONS and OHID figures) is copied into a landing area and loaded through
`onecouncil ingest`; every file must reconcile: rows read = loaded + quarantined.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "benchmarks"
ONECOUNCIL = str(Path(sys.executable).with_name("onecouncil"))

pytestmark = pytest.mark.skipif(not SAMPLE.is_dir(), reason=f"{SAMPLE} not present")


def copy_sample(landing: Path) -> dict[str, Path]:
    """The sample in a landing area; cipfa2021 arrives after cipfa2019 (it is the current set)."""
    placed: dict[str, Path] = {}
    stamp = 1_750_000_000
    for source in sorted(SAMPLE.glob("*.csv")) + sorted(SAMPLE.glob("*/*.csv")):
        feed = "benchmark/comparators" if source.parent == SAMPLE else "benchmark/measures"
        target = landing / feed / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        stamp += 1
        os.utime(target, (stamp, stamp))
        placed[source.name] = source
    return placed


def data_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
    return len(rows) - 1


def test_every_shared_benchmark_file_loads_through_onecouncil_ingest(conn, landing):
    placed = copy_sample(landing)
    assert len(placed) == 32  # 2 comparator sets, 30 measure files
    done = subprocess.run([ONECOUNCIL, "ingest", "--landing", str(landing)],
                          env=dict(os.environ), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr

    files = conn.execute(
        "select f.file_name, f.outcome, f.reason, f.rows_read, f.rows_loaded, "
        "f.rows_quarantined, "
        "(select count(*) from raw.benchmark__measures m where m._sha256 = f.sha256) "
        "+ (select count(*) from raw.benchmark__comparators c where c._sha256 = f.sha256), "
        "(select count(*) from ops.quarantine q where q.sha256 = f.sha256) "
        "from ops.files f where f.feed like 'benchmark/%'").fetchall()
    assert sorted(f[0] for f in files) == sorted(placed)
    for name, outcome, reason, read, loaded, quarantined, in_raw, set_aside in files:
        assert (outcome, reason) == ("loaded", None), name
        assert read == data_rows(placed[name]), name
        assert read == loaded + quarantined, name
        assert (in_raw, set_aside) == (loaded, quarantined), name

    # every published period was read; none was guessed
    unread = conn.execute("select count(*) from raw.benchmark__measures "
                          "where period_start is null").fetchone()[0]
    assert unread == 0
    # the real variants: `units` for unit, period after indicator, two value columns,
    # breakdown columns, NA for a figure not published
    assert conn.execute(
        "select distinct unit from raw.benchmark__measures where indicator = 'Claimant count'"
    ).fetchall() == [("Persons",)]
    ulev = conn.execute(
        """select "values", value from raw.benchmark__measures
           where indicator like 'Licensed vehicles%%' and area_code = 'E06000042'
             and period = '2020-12-31'""").fetchone()
    assert set(ulev[0]) == {"ulev", "all vehicles"} and ulev[1] is None
    assert conn.execute(
        """select distinct inequality from raw.benchmark__measures
           where indicator = 'Healthy life expectancy at birth' order by 1""").fetchall() \
        == [("Female",), ("Male",)]
    assert conn.execute(
        """select count(*) from raw.benchmark__measures
           where area_type = 'UA' and compared_to_england is not null""").fetchone()[0] > 0
    assert conn.execute(
        """select period_type, period_start, period_end, period_label
           from raw.benchmark__measures where period = 'Jan 2012-Dec 2012' limit 1"""
    ).fetchone() == ("months", date(2012, 1, 1), date(2012, 12, 31),
                     "January 2012 to December 2012")
    # the later comparator file is the current set; the earlier one stays in history
    current = conn.execute("select count(*) from raw.benchmark__comparators "
                           "where _replaced_at is null").fetchone()[0]
    assert current == data_rows(SAMPLE / "cipfa2021.csv")


MEASURES = (
    "area_code,area_name,period,indicator,measure,unit,value\n"
    "E06000042,Milton Keynes,2010/11,Recycling,Percentage,Waste,50.1\n"     # 2
    "E06000042,Milton Keynes,2015-16,Recycling,Percentage,Waste,NA\n"       # 3
    "E06000042,Milton Keynes,2021,Recycling,Percentage,Waste,1e1\n"         # 4
    "E06000042,Milton Keynes,April 2021,Recycling,Percentage,Waste,3\n"     # 5
    "E06000042,Milton Keynes,2021-07,Recycling,Percentage,Waste,4\n"        # 6
    "E06000042,Milton Keynes,2010 - 12,Recycling,Percentage,Waste,5\n"      # 7
    "E06000042,Milton Keynes,2018/19 - 22/23,Recycling,Percentage,Waste,6\n"  # 8
    "E06000042,Milton Keynes,2020-12-31,Recycling,Percentage,Waste,7\n"     # 9
    "E06000042,Milton Keynes,Sept 2012-Aug 2013,Recycling,Percentage,Waste,8\n"  # 10
    "E06000042,Milton Keynes,Q5 2021,Recycling,Percentage,Waste,9\n"        # 11
    "E06000042,Milton Keynes,2021-02-30,Recycling,Percentage,Waste,9\n"     # 12
    "E06000042,Milton Keynes,2021/23,Recycling,Percentage,Waste,9\n"        # 13
    "E06000042,Milton Keynes,Dec 2013-Jan 2013,Recycling,Percentage,Waste,9\n"  # 14
    "E06000042,Milton Keynes,2011-12,Recycling,Percentage,Waste,n/a\n"      # 15
)


def test_periods_are_read_as_published_and_bad_rows_set_aside_with_their_reason(
        conn, drop, ingest):
    drop("benchmark/measures", "recycling.csv", MEASURES)
    [outcome] = ingest()
    assert (outcome.outcome, outcome.rows_read, outcome.rows_loaded,
            outcome.rows_quarantined) == ("loaded", 14, 9, 5)
    periods = conn.execute(
        "select _line_number, period_type, period_start, period_end, period_label, value "
        "from raw.benchmark__measures order by 1").fetchall()
    assert periods == [
        (2, "financial year", date(2010, 4, 1), date(2011, 3, 31), "2010/11", "50.1"),
        (3, "financial year", date(2015, 4, 1), date(2016, 3, 31), "2015/16", "NA"),
        (4, "calendar year", date(2021, 1, 1), date(2021, 12, 31), "2021", "1e1"),
        (5, "month", date(2021, 4, 1), date(2021, 4, 30), "April 2021", "3"),
        (6, "month", date(2021, 7, 1), date(2021, 7, 31), "July 2021", "4"),
        (7, "calendar years", date(2010, 1, 1), date(2012, 12, 31), "2010 to 2012", "5"),
        (8, "financial years", date(2018, 4, 1), date(2023, 3, 31), "2018/19 to 2022/23", "6"),
        (9, "day", date(2020, 12, 31), date(2020, 12, 31), "31 December 2020", "7"),
        (10, "months", date(2012, 9, 1), date(2013, 8, 31),
         "September 2012 to August 2013", "8"),
    ]
    reasons = dict(conn.execute(
        "select line_number, reason from ops.quarantine order by 1").fetchall())
    assert sorted(reasons) == [11, 12, 13, 14, 15]
    for line in (11, 12, 13, 14):
        assert reasons[line].startswith("period: ") and "is not a period" in reasons[line]
    assert "'Q5 2021'" in reasons[11]
    # 2011-12 is the financial year 2011/12 (not December 2011); its figure is the fault
    assert reasons[15] == "value: 'n/a' is not a number (NA or an empty cell = not published)"
    raw = conn.execute("select raw from ops.quarantine where line_number = 11").fetchone()[0]
    assert raw["period"] == "Q5 2021" and raw["area_code"] == "E06000042"


def test_several_value_columns_each_kept_and_a_bad_one_set_aside(conn, drop, ingest):
    drop("benchmark/measures", "vehicles.csv",
         "area_code,area_name,period,indicator,measure,unit,value_ulev,value_all_vehicles\n"
         "E06000042,Milton Keynes,2020-12-31,Licensed vehicles,Frequency,Vehicles,995,125474\n"
         "E06000030,Swindon,2020-12-31,Licensed vehicles,Frequency,Vehicles,x,118973\n")
    [outcome] = ingest()
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)
    assert conn.execute('select "values" from raw.benchmark__measures').fetchone()[0] == \
        {"ulev": "995", "all vehicles": "125474"}
    reason = conn.execute("select reason from ops.quarantine").fetchone()[0]
    assert reason == "ulev: 'x' is not a number"


def test_a_file_with_no_value_column_is_refused(conn, drop, ingest):
    drop("benchmark/measures", "novalue.csv",
         "area_code,area_name,period,indicator,measure,unit\n"
         "E06000042,Milton Keynes,2021,Recycling,Percentage,Waste\n")
    [outcome] = ingest()
    assert outcome.outcome == "refused" and "value" in outcome.reason
    assert conn.execute("select count(*) from raw.benchmark__measures").fetchone()[0] == 0


def test_a_file_replaces_its_own_indicator_and_measure_only(conn, drop, ingest):
    head = "area_code,area_name,period,indicator,measure,unit,value\n"
    drop("benchmark/measures", "a.csv", head + "E1,A,2021,Recycling,Percentage,Waste,1\n"
         "E1,A,2021,Recycling,Frequency,Tonnes,10\n")
    drop("benchmark/measures", "b.csv", head + "E1,A,2021,Recycling,Percentage,Waste,2\n")
    ingest()
    current = conn.execute("select measure, value from raw.benchmark__measures "
                           "where _replaced_at is null order by 1").fetchall()
    assert current == [("Frequency", "10"), ("Percentage", "2")]
