"""Packs follow the data: after the transform publishes, the packs already due whose data
changed are rendered again; a period not yet due waits. No scheduler needed."""

from __future__ import annotations

import json
from datetime import date

from onecouncil.calendar import FiscalPeriod, FiscalQuarter, FiscalYear
from onecouncil.due_dates import monthly_pack_due
from onecouncil.pipelines import packs
from onecouncil.pipelines.packs import behind_the_data, for_run, rendered_state

P = FiscalPeriod.parse


def test_due_periods_whose_data_changed_are_rendered_and_the_rest_left_alone():
    day = date(2025, 11, 3)  # P06 (September) is due, P07 (October) is not yet
    assert monthly_pack_due(P("2025-26-P06")) <= day < monthly_pack_due(P("2025-26-P07"))
    published = {
        P("2025-26-P01"): ("v1", True),   # unchanged since its pack
        P("2025-26-P04"): ("v4b", True),  # restated: a corrected file replaced the period
        P("2025-26-P05"): ("v5", True),   # late files: its pack was never rendered
        P("2025-26-P02"): ("v2", True),   # a first load of a past period
        P("2024-25-P12"): ("v12", True),  # due before the monthly packs began: history
        P("2025-26-P07"): ("v7", True),   # not due until mid-November
    }
    rendered = {P("2025-26-P01"): ("v1", True), P("2025-26-P04"): ("v4a", True)}
    assert behind_the_data("finance-outturn", day, published, rendered) == [
        P("2025-26-P02"), P("2025-26-P04"), P("2025-26-P05")]


def test_periods_due_before_the_cadence_began_are_history_not_packs():
    from onecouncil.packs.declarations import BY_NAME

    old = {FiscalQuarter.parse("2015-16-Q1"): ("v", True),
           FiscalQuarter.parse("2025-26-Q1"): ("w", True)}
    assert BY_NAME["cabinet-quarterly"].cadence.first_run == date(2025, 7, 1)
    assert behind_the_data("cabinet-quarterly", date(2025, 11, 3), old, {}) == [
        FiscalQuarter.parse("2025-26-Q1")]
    assert behind_the_data("year-end", date(2026, 6, 1),
                           {FiscalYear.parse("2024-25"): ("y", True)}, {}) == []


def test_a_pack_drafted_before_its_checks_passed_is_rendered_again():
    day = date(2025, 11, 3)
    published = {P("2025-26-P05"): ("v5", True)}
    assert behind_the_data("transparency-spend", day, published,
                           {P("2025-26-P05"): ("v5", False)}) == [P("2025-26-P05")]
    assert behind_the_data("transparency-spend", day, published,
                           {P("2025-26-P05"): ("v5", True)}) == []


def test_the_day_a_pack_falls_due_counts_as_due():
    due = monthly_pack_due(P("2025-26-P05"))
    published = {P("2025-26-P05"): ("v", True)}
    assert behind_the_data("finance-outturn", due, published, {}) == [P("2025-26-P05")]
    from datetime import timedelta

    assert behind_the_data("finance-outturn", due - timedelta(days=1), published, {}) == []


def test_quarters_and_years_follow_their_own_due_rules():
    q1, q2 = FiscalQuarter.parse("2025-26-Q1"), FiscalQuarter.parse("2025-26-Q2")
    published = {q1: ("a", True), q2: ("b", True)}
    # Q2 ends 30 September; its packs are due on the 15th working day after (21 October)
    assert behind_the_data("cabinet-quarterly", date(2025, 10, 20), published, {}) == [q1]
    assert behind_the_data("audit-committee", date(2025, 10, 21), published, {}) == [q1, q2]
    year = FiscalYear.parse("2025-26")
    assert behind_the_data("year-end", date(2026, 5, 21), {year: ("y", True)}, {}) == []
    assert behind_the_data("year-end", date(2026, 5, 22), {year: ("y", True)}, {}) == [year]


def _pack_json(root, year, label, pack, version, final):
    path = root / year / label / f"{pack}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"pack": pack, "data_version": version,
                                "checks": {"is_final": final}}))
    return path


def test_what_a_pack_on_disk_shows_is_read_from_its_json(tmp_path):
    _pack_json(tmp_path, "2025-26", "P03", "finance-outturn", "v3", True)
    _pack_json(tmp_path, "2025-26", "P04", "finance-outturn", "v4", False)
    broken = tmp_path / "2025-26" / "P05" / "finance-outturn.json"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"pack": "finance-out')  # half written: rendered again
    _pack_json(tmp_path, "2025-26", "P03", "transparency-spend", "t3", True)  # another pack
    assert rendered_state("finance-outturn", tmp_path) == {
        P("2025-26-P03"): ("v3", True), P("2025-26-P04"): ("v4", False)}


def test_a_run_after_the_transform_published_renders_what_is_behind(tmp_path, monkeypatch):
    published = {P("2025-26-P01"): ("v1", True), P("2025-26-P02"): ("v2", True),
                 P("2025-26-P08"): ("v8", True)}
    monkeypatch.setattr(packs, "published_state", lambda pack: published)
    _pack_json(tmp_path, "2025-26", "P01", "finance-outturn", "v1", True)
    day = date(2025, 11, 3)
    assert for_run("finance-outturn", None, day, data_published=True,
                   output=str(tmp_path)) == [P("2025-26-P02")]
    # the morning run still renders only what is due that day, and a named period wins
    assert for_run("finance-outturn", None, day, output=str(tmp_path)) == []
    assert for_run("finance-outturn", "2025-26-P08", day, data_published=True,
                   output=str(tmp_path)) == [P("2025-26-P08")]


def test_the_pack_dags_are_scheduled_on_the_marts_and_the_working_day_morning():
    from airflow.sdk import AssetAny, AssetOrTimeSchedule

    from onecouncil.airflow_runner import load_dag
    from onecouncil.assets import MART_SUBJECTS
    from onecouncil.packs.declarations import CADENCES

    for cadence in CADENCES:
        dag = load_dag("packs.py", cadence.dag_id)
        schedule = dag.timetable
        assert isinstance(schedule, AssetOrTimeSchedule), cadence.dag_id
        condition = schedule.asset_condition
        assert isinstance(condition, AssetAny)  # any one of the marts, not all of them
        assert {a.name for a in condition.objects} == {f"marts.{s}" for s in MART_SUBJECTS}
        assert schedule.timetable.expression == "0 7 * * 1-5"
