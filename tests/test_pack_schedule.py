from datetime import date

from onecouncil.calendar import FiscalPeriod
from onecouncil.pipelines.packs import periods_for_run


def test_a_named_period_is_rendered_whatever_the_day():
    assert periods_for_run("2025-26-P03", date(2026, 11, 23)) == [FiscalPeriod.parse("2025-26-P03")]
    assert periods_for_run("2025-26-P01, 2025-26-P02", date(2026, 11, 23)) == [
        FiscalPeriod.parse("2025-26-P01"), FiscalPeriod.parse("2025-26-P02")]


def test_without_a_period_the_run_renders_what_is_due_on_its_day():
    assert periods_for_run(None, date(2025, 9, 12)) == [FiscalPeriod.parse("2025-26-P05")]
    assert periods_for_run("", date(2025, 9, 11)) == []


def test_quarterly_runs_render_the_named_quarters_or_the_one_due():
    from onecouncil.calendar import FiscalQuarter
    from onecouncil.pipelines.packs import quarters_for_run

    assert quarters_for_run("2025-26-Q1,2025-26-Q2", date(2026, 1, 5)) == [
        FiscalQuarter.parse("2025-26-Q1"), FiscalQuarter.parse("2025-26-Q2")]
    assert quarters_for_run(None, date(2025, 10, 21)) == [FiscalQuarter.parse("2025-26-Q2")]
    assert quarters_for_run(None, date(2025, 10, 22)) == []
