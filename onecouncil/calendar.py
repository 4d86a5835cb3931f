"""The council's fiscal calendar: years from 1 April, periods 1-13, quarters 1-4.

Written in the council's own notation: `2025-26` for a year, `2025-26-P06` for a
period and `2025-26-Q2` for a quarter. Period 13 holds year-end adjustments and
has no calendar month of its own; its end is 31 March, like period 12.
"""

from __future__ import annotations

import calendar as _cal
import re
from dataclasses import dataclass
from datetime import date

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})-P(\d{1,2})$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class FiscalYear:
    start_year: int

    @classmethod
    def parse(cls, text: str) -> FiscalYear:
        m = _YEAR.match(text.strip())
        if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
            raise ValueError(f"{text!r} is not a fiscal year like 2025-26")
        return cls(int(m.group(1)))

    @classmethod
    def containing(cls, day: date) -> FiscalYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    def __str__(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)


@dataclass(frozen=True, order=True)
class FiscalPeriod:
    year: FiscalYear
    period: int

    def __post_init__(self) -> None:
        if not 1 <= self.period <= 13:
            raise ValueError(f"period {self.period} is outside 1-13")

    @classmethod
    def parse(cls, text: str) -> FiscalPeriod:
        m = _PERIOD.match(text.strip())
        if not m:
            raise ValueError(f"{text!r} is not a fiscal period like 2025-26-P06")
        return cls(FiscalYear.parse(f"{m.group(1)}-{m.group(2)}"), int(m.group(3)))

    @classmethod
    def containing(cls, day: date) -> FiscalPeriod:
        return cls(FiscalYear.containing(day), (day.month - 4) % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year}-P{self.period:02d}"

    @property
    def calendar_month(self) -> tuple[int, int]:
        """(year, month) of the period; period 13 shares March with period 12."""
        p = min(self.period, 12)
        month = (p + 2) % 12 + 1
        return (self.year.start_year + (1 if month < 4 else 0), month)

    @property
    def first_day(self) -> date:
        y, m = self.calendar_month
        return date(y, m, 1)

    @property
    def last_day(self) -> date:
        y, m = self.calendar_month
        return date(y, m, _cal.monthrange(y, m)[1])

    @property
    def quarter(self) -> int:
        return (min(self.period, 12) - 1) // 3 + 1

    def next(self) -> FiscalPeriod:
        if self.period >= 12:
            return FiscalPeriod(FiscalYear(self.year.start_year + 1), 1)
        return FiscalPeriod(self.year, self.period + 1)

    def previous(self) -> FiscalPeriod:
        if self.period == 1:
            return FiscalPeriod(FiscalYear(self.year.start_year - 1), 12)
        return FiscalPeriod(self.year, min(self.period, 13) - 1)


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    year: FiscalYear
    quarter: int

    @classmethod
    def parse(cls, text: str) -> FiscalQuarter:
        m = _QUARTER.match(text.strip())
        if not m:
            raise ValueError(f"{text!r} is not a fiscal quarter like 2025-26-Q2")
        return cls(FiscalYear.parse(f"{m.group(1)}-{m.group(2)}"), int(m.group(3)))

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def periods(self) -> list[FiscalPeriod]:
        return [FiscalPeriod(self.year, 3 * (self.quarter - 1) + i) for i in (1, 2, 3)]

    @property
    def last_day(self) -> date:
        return self.periods[-1].last_day


def periods_through(last: FiscalPeriod) -> list[FiscalPeriod]:
    """Periods 1..last of last's fiscal year."""
    return [FiscalPeriod(last.year, p) for p in range(1, last.period + 1)]
