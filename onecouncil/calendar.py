"""The council's fiscal calendar: years from 1 April, periods 1-13, quarters 1-4.

Written in the council's own notation: `2025-26` for a year, `2025-26-P06` for a
period and `2025-26-Q2` for a quarter. Period 13 holds year-end adjustments and
has no calendar month of its own; its end is 31 March, like period 12.

These three types are the only fiscal-period types of the project: packs, pipelines,
the CLI and the simulator all use them. Each has `label` (the folder a pack of it is
written to: `P06`, `Q2`, `year`), `description` (how a pack names it) and
`first_day` / `last_day`.
"""

from __future__ import annotations

import calendar as _cal
import re
from dataclasses import dataclass
from datetime import date

MONTHS = ("April", "May", "June", "July", "August", "September", "October", "November",
          "December", "January", "February", "March")
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

    @property
    def year(self) -> FiscalYear:
        """The year itself, so every calendar type answers `.year`."""
        return self

    @property
    def label(self) -> str:
        return "year"

    @property
    def description(self) -> str:
        return f"{self}, full year"

    def previous(self) -> FiscalYear:
        return FiscalYear(self.start_year - 1)

    def next(self) -> FiscalYear:
        return FiscalYear(self.start_year + 1)


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

    @property
    def label(self) -> str:
        return f"P{self.period:02d}"

    @property
    def month_name(self) -> str:
        """'August 2025' for P05; period 13 is the year-end adjustments, not a month."""
        if self.period == 13:
            return "year-end adjustments"
        y, m = self.calendar_month
        return f"{MONTHS[self.period - 1]} {y}"

    @property
    def description(self) -> str:
        return f"{self.year}, period {self.period} ({self.month_name})"

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

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"quarter {self.quarter} is outside 1-4")

    @property
    def periods(self) -> list[FiscalPeriod]:
        return [FiscalPeriod(self.year, 3 * (self.quarter - 1) + i) for i in (1, 2, 3)]

    @property
    def first_day(self) -> date:
        return self.periods[0].first_day

    @property
    def last_day(self) -> date:
        return self.periods[-1].last_day

    @property
    def label(self) -> str:
        return f"Q{self.quarter}"

    @property
    def description(self) -> str:
        return f"{self.year}, quarter {self.quarter}"

    def previous(self) -> FiscalQuarter:
        if self.quarter == 1:
            return FiscalQuarter(self.year.previous(), 4)
        return FiscalQuarter(self.year, self.quarter - 1)

    def next(self) -> FiscalQuarter:
        if self.quarter == 4:
            return FiscalQuarter(self.year.next(), 1)
        return FiscalQuarter(self.year, self.quarter + 1)


def periods_through(last: FiscalPeriod) -> list[FiscalPeriod]:
    """Periods 1..last of last's fiscal year."""
    return [FiscalPeriod(last.year, p) for p in range(1, last.period + 1)]


FiscalTime = FiscalPeriod | FiscalQuarter | FiscalYear


def parse_label(fiscal_year: str | FiscalYear, label: str | int) -> FiscalTime:
    """A pack's period from a year and its folder label: 'P5', 'P05' or 5 -> a
    FiscalPeriod; 'Q1'..'Q4' -> a FiscalQuarter; 'year' -> the FiscalYear."""
    year = fiscal_year if isinstance(fiscal_year, FiscalYear) else FiscalYear.parse(fiscal_year)
    text = str(label).strip()
    if m := re.fullmatch(r"[Pp]?(\d{1,2})", text):
        return FiscalPeriod(year, int(m.group(1)))
    if re.fullmatch(r"[Qq][1-4]", text):
        return FiscalQuarter(year, int(text[1]))
    if text.lower() == "year":
        return year
    raise ValueError(f"period must be P01-P13, Q1-Q4 or year, not {label!r}")


def parse(text: str) -> FiscalTime:
    """'2025-26-P06', '2025-26-Q2' or '2025-26': the period, quarter or year."""
    text = text.strip()
    for kind in (FiscalPeriod, FiscalQuarter, FiscalYear):
        try:
            return kind.parse(text)
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a fiscal period (2025-26-P06), quarter (2025-26-Q2) "
                     "or year (2025-26)")
