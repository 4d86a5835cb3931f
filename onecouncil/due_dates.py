"""When each pack is due: working days after a period or quarter closes (Europe/London).

A working day is Monday to Friday and not a bank holiday in England (the
`holidays` package keeps the list). Period 13 holds year-end adjustments made
after March closes, so it is treated as closing one month after period 12.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from onecouncil.calendar import FiscalPeriod, FiscalQuarter, FiscalYear

MONTHLY_PACK_WORKING_DAYS = 10  # rules: the finance pack goes to CLT on the 10th working day
QUARTERLY_PACK_WORKING_DAYS = 15


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.UK(subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_after(day: date, n: int) -> date:
    """The nth working day after `day` (day itself not counted)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    while n:
        day += timedelta(days=1)
        n -= is_working_day(day)
    return day


def period_close(period: FiscalPeriod) -> date:
    if period.period == 13:
        return date(period.year.start_year + 1, 4, 30)
    return period.last_day


def monthly_pack_due(period: FiscalPeriod, n: int = MONTHLY_PACK_WORKING_DAYS) -> date:
    return working_days_after(period_close(period), n)


def quarterly_pack_due(quarter: FiscalQuarter, n: int = QUARTERLY_PACK_WORKING_DAYS) -> date:
    return working_days_after(quarter.last_day, n)


def year_end_pack_due(year: FiscalYear, n: int = QUARTERLY_PACK_WORKING_DAYS) -> date:
    """The year-end summary follows the year-end adjustments (period 13)."""
    return working_days_after(period_close(FiscalPeriod(year, 13)), n)


def year_due_on(day: date, n: int = QUARTERLY_PACK_WORKING_DAYS) -> FiscalYear | None:
    """The fiscal year whose year-end summary is due on `day`, if any."""
    last = FiscalYear(FiscalYear.containing(day).start_year - 1)
    return last if year_end_pack_due(last, n) == day else None


def periods_due_on(day: date, n: int = MONTHLY_PACK_WORKING_DAYS) -> list[FiscalPeriod]:
    """The periods whose monthly packs are due on `day`: none, one, or two in May
    (last year's period 13 and this year's period 1 both close on 30 April)."""
    year = FiscalYear.containing(day)
    candidates = [FiscalPeriod(y, p) for y in (FiscalYear(year.start_year - 1), year)
                  for p in range(1, 14)]
    return [p for p in candidates if monthly_pack_due(p, n) == day]


def quarter_due_on(day: date, n: int = QUARTERLY_PACK_WORKING_DAYS) -> FiscalQuarter | None:
    """The quarter whose quarterly packs are due on `day`, if any."""
    year = FiscalYear.containing(day)
    candidates = [FiscalQuarter(y, q) for y in (FiscalYear(year.start_year - 1), year)
                  for q in (1, 2, 3, 4)]
    return next((q for q in candidates if quarterly_pack_due(q, n) == day), None)


def pack_due(period: FiscalPeriod | FiscalQuarter | FiscalYear, n: int) -> date:
    """The day a pack of `period` is due: `n` working days after the period closes."""
    if isinstance(period, FiscalPeriod):
        return monthly_pack_due(period, n)
    if isinstance(period, FiscalQuarter):
        return quarterly_pack_due(period, n)
    return year_end_pack_due(period, n)


def due_on(kind: type, day: date, n: int) -> list[FiscalPeriod | FiscalQuarter | FiscalYear]:
    """The periods, quarters or years (`kind`) whose packs are due on `day`."""
    if kind is FiscalPeriod:
        return periods_due_on(day, n)
    if kind is FiscalQuarter:
        return [q] if (q := quarter_due_on(day, n)) else []
    return [y] if (y := year_due_on(day, n)) else []
