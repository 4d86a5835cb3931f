"""How a pack writes a number, an amount, a date or an indicator value: one place for all packs.

Every formatter turns a missing value into the pack's words for it (or an empty cell),
never Python's `None`.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _rounded(value: Any, places: int) -> Decimal:
    q = _dec(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(q) if q == 0 else q  # never '-0.0'


def thousands(value: Any) -> str:
    """Pounds as £000 to one decimal place, negative with a leading minus: -1,234.5."""
    if value is None:
        return ""
    return f"{_rounded(_dec(value) / 1000, 1):,.1f}"


def pounds(value: Any, places: int = 0) -> str:
    """£ in full: 1,234,567 (or 1,234.50 with places=2)."""
    if value is None:
        return ""
    return f"{_rounded(value, places):,.{places}f}"


def percent(value: Any, places: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{_rounded(value, places):,.{places}f}%"


def count(value: Any) -> str:
    return "" if value is None else f"{int(value):,}"


def london(value: dt.datetime | None) -> str:
    """A timestamp as the council reads it: 12/09/2025 17:30 (UK time)."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo("Europe/London"))
    return value.strftime("%d/%m/%Y %H:%M")


def ukdate(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def indicator_value(value: Any, decimals: int | None, unit: str | None) -> str:
    """An indicator value as the council writes it: 85.0%, £1,234, 12 days, 1,234."""
    if value is None:
        return ""
    places = int(decimals or 0)
    q = _rounded(value, places)
    text = f"{q:,.{places}f}"
    if unit == "%":
        return text + "%"
    if unit == "£":
        return ("-£" + text[1:]) if text.startswith("-") else "£" + text
    if unit == "days":
        return text + (" day" if q == 1 else " days")
    return text


def number_in(text: str) -> Decimal | None:
    """The number in a formatted value ('85.0%', '£1,234', '12 days')."""
    digits = "".join(ch for ch in text if ch.isdigit() or ch in ".-")
    try:
        return Decimal(digits)
    except ArithmeticError:
        return None
