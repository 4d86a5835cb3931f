from datetime import date

import pytest

from onecouncil.calendar import FiscalPeriod, FiscalQuarter
from onecouncil.due_dates import (
    is_working_day,
    monthly_pack_due,
    periods_due_on,
    quarter_due_on,
    quarterly_pack_due,
    working_days_after,
)


def test_weekends_and_english_bank_holidays_are_not_working_days():
    assert is_working_day(date(2025, 5, 6))  # Tuesday
    assert not is_working_day(date(2025, 5, 10))  # Saturday
    assert not is_working_day(date(2025, 5, 5))  # Early May bank holiday
    assert not is_working_day(date(2025, 8, 25))  # Summer bank holiday (England, not Scotland)
    assert is_working_day(date(2025, 8, 4))  # Scotland's summer holiday is not England's


@pytest.mark.parametrize("period, due", [
    # April 2025 ends on a Wednesday; 5 May is a bank holiday, so day 10 slips to 15 May.
    ("2025-26-P01", date(2025, 5, 15)),
    # August ends on a Sunday; 1 Sep is working day 1, 12 Sep is day 10.
    ("2025-26-P05", date(2025, 9, 12)),
    # December: Christmas, Boxing Day and New Year's Day do not count.
    ("2025-26-P09", date(2026, 1, 15)),
    # Period 13 closes at the end of April.
    ("2025-26-P13", date(2026, 5, 15)),
])
def test_the_monthly_pack_is_due_on_the_tenth_working_day(period, due):
    assert monthly_pack_due(FiscalPeriod.parse(period)) == due
    assert FiscalPeriod.parse(period) in periods_due_on(due)


def test_last_years_period_13_and_this_years_period_1_fall_due_together():
    assert periods_due_on(date(2025, 5, 15)) == [FiscalPeriod.parse("2024-25-P13"),
                                                 FiscalPeriod.parse("2025-26-P01")]


def test_a_day_with_no_pack_due_gives_none():
    assert periods_due_on(date(2025, 5, 14)) == []
    assert periods_due_on(date(2025, 5, 17)) == []  # a Saturday


def test_quarterly_packs_are_due_on_the_fifteenth_working_day():
    q2 = FiscalQuarter.parse("2025-26-Q2")
    assert quarterly_pack_due(q2) == date(2025, 10, 21)
    assert quarter_due_on(date(2025, 10, 21)) == q2
    assert quarter_due_on(date(2025, 10, 20)) is None


def test_working_days_after_counts_from_the_next_day():
    assert working_days_after(date(2025, 4, 30), 1) == date(2025, 5, 1)
    with pytest.raises(ValueError):
        working_days_after(date(2025, 4, 30), 0)


def test_the_year_end_summary_follows_period_13():
    from onecouncil.calendar import FiscalYear
    from onecouncil.due_dates import year_due_on, year_end_pack_due

    year = FiscalYear.parse("2025-26")
    # period 13 closes 30 April 2026; 4 and 25 May are bank holidays
    assert year_end_pack_due(year) == date(2026, 5, 22)
    assert year_due_on(date(2026, 5, 22)) == year
    assert year_due_on(date(2026, 5, 21)) is None
