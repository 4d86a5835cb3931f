from datetime import date

from onecouncil.calendar import FiscalPeriod, FiscalQuarter, FiscalYear
from onecouncil.pipelines.packs import for_run


def test_a_named_period_is_rendered_whatever_the_day():
    assert for_run("finance-outturn", "2025-26-P03", date(2026, 11, 23)) == [
        FiscalPeriod.parse("2025-26-P03")]
    assert for_run("transparency-spend", "2025-26-P01, 2025-26-P02", date(2026, 11, 23)) == [
        FiscalPeriod.parse("2025-26-P01"), FiscalPeriod.parse("2025-26-P02")]


def test_without_a_period_the_run_renders_what_is_due_on_its_day():
    assert for_run("finance-outturn", None, date(2025, 9, 12)) == [
        FiscalPeriod.parse("2025-26-P05")]
    assert for_run("finance-outturn", "", date(2025, 9, 11)) == []


def test_quarterly_runs_render_the_named_quarters_or_the_one_due():
    assert for_run("cabinet-quarterly", "2025-26-Q1,2025-26-Q2", date(2026, 1, 5)) == [
        FiscalQuarter.parse("2025-26-Q1"), FiscalQuarter.parse("2025-26-Q2")]
    assert for_run("audit-committee", None, date(2025, 10, 21)) == [
        FiscalQuarter.parse("2025-26-Q2")]
    assert for_run("scrutiny-quarterly", None, date(2025, 10, 22)) == []


def test_the_year_end_summary_follows_period_13():
    assert for_run("year-end", None, date(2026, 5, 22)) == [FiscalYear.parse("2025-26")]
    assert for_run("year-end", None, date(2026, 5, 21)) == []
    assert for_run("year-end", "2024-25", date(2026, 5, 21)) == [FiscalYear.parse("2024-25")]


def test_each_pack_follows_its_own_declared_due_rule(monkeypatch):
    from dataclasses import replace

    from onecouncil.packs import declarations

    later = replace(declarations.BY_NAME["transparency-spend"], due_working_days=11)
    monkeypatch.setitem(declarations.BY_NAME, "transparency-spend", later)
    assert for_run("transparency-spend", None, date(2025, 9, 12)) == []
    assert for_run("transparency-spend", None, date(2025, 9, 15)) == [
        FiscalPeriod.parse("2025-26-P05")]
    assert for_run("finance-outturn", None, date(2025, 9, 12)) == [
        FiscalPeriod.parse("2025-26-P05")]
