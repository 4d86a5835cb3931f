"""Turn one cell, as read, into a typed value by the rules of sources.md.

Each parser returns the value (None for an empty cell) or raises ValueError with
a reason a person can act on. Amounts become Decimal from their text, never
through binary floating point.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from collections.abc import Callable
from zoneinfo import ZoneInfo

from onecouncil.feeds.model import Column

LONDON = ZoneInfo("Europe/London")

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](.*))?$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:[T ](.*))?$")
_UK_MON = re.compile(r"^(\d{1,2})[- ]([A-Za-z]{3,9})[- ](\d{4})(?:[T ](.*))?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
# Thousands separators (comma or space) only between groups of three digits: "12,3"
# is a decimal comma or a typo, not 123.
_GROUPED = re.compile(r"^-?\s*\d{1,3}(?:[, ]\d{3})*(?:\.\d*)?$")
_FISCAL_YEAR = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2})$")
_BOOLEANS = {"y": True, "yes": True, "true": True, "1": True,
             "n": False, "no": False, "false": False, "0": False}
# The pound sign as exports really carry it: plain, mis-encoded UTF-8 read as
# Windows-1252, or a replacement character where a converter gave up.
_POUND = re.compile("Â£|£|\ufffd")


def _text(raw: object) -> str | None:
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None


def parse_text(raw: object) -> str | None:
    if raw.__class__ is str:  # the CSV case, by far the commonest: keep it quick
        return raw.strip() or None
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # XLSX stores codes like 1001 as numbers
    if isinstance(raw, (datetime, date)):
        return raw.isoformat()
    return _text(raw)


def _split_time(rest: str | None) -> tuple[time | None, str | None]:
    if not rest:
        return None, None
    m = _TIME.match(rest.strip())
    if not m:
        raise ValueError(f"{rest!r} after the date is not a time")
    hh, mm, ss, frac, tz = m.groups()
    t = time(int(hh), int(mm), int(ss or 0), int((frac or "0").ljust(6, "0")))
    return t, tz


def _parse_datetime_text(text: str) -> tuple[date, time | None, str | None]:
    if _TIME.match(text):
        raise ValueError(f"{text!r} holds a time and no date")
    m = _ISO.match(text)
    if m:
        y, mo, d, rest = int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)
    else:
        m = _UK.match(text)
        if m:
            d, mo, y, rest = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
            y = int(y) + 2000 if len(y) == 2 else int(y)
        else:
            m = _UK_MON.match(text)
            if not m or m.group(2)[:3].lower() not in _MONTHS:
                raise ValueError(
                    f"{text!r} is not a date (use 2025-04-30, 30/04/2025, 30/04/25 or 30-Apr-2025)")
            d, mo, y, rest = int(m.group(1)), _MONTHS[m.group(2)[:3].lower()], int(m.group(3)), \
                m.group(4)
    try:
        day = date(y, mo, d)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date (day/month order: 30/04/2025)") from None
    t, tz = _split_time(rest)
    return day, t, tz


@lru_cache(maxsize=4096)
def _date_from_text(text: str) -> date:
    return _parse_datetime_text(text)[0]


def parse_date(raw: object) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, time):
        raise ValueError(f"{raw.isoformat()!r} holds a time and no date")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise ValueError(f"{raw!r} is a number, not a date")
    text = _text(raw)
    return None if text is None else _date_from_text(text)


@lru_cache(maxsize=65536)
def _timestamp_from_text(text: str) -> datetime:
    day, t, tz = _parse_datetime_text(text)
    moment = datetime.combine(day, t or time())
    if tz is None:
        return moment.replace(tzinfo=LONDON)  # sources.md: all times are Europe/London
    if tz == "Z":
        return moment.replace(tzinfo=ZoneInfo("UTC"))
    return datetime.fromisoformat(moment.isoformat() + (tz if ":" in tz else tz[:3] + ":" + tz[3:]))


def parse_timestamp(raw: object) -> datetime | None:
    if isinstance(raw, datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=LONDON)
    if isinstance(raw, date):
        return datetime.combine(raw, time(), LONDON)
    if isinstance(raw, time):
        raise ValueError(f"{raw.isoformat()!r} holds a time and no date")
    text = _text(raw)
    return None if text is None else _timestamp_from_text(text)


_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")


def _decimal(raw: object, what: str, pounds: bool) -> Decimal | None:
    if raw.__class__ is str and _PLAIN.match(raw):
        return Decimal(raw)
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not {what}")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        # Excel keeps 15 significant digits; the 16th-17th of a cached formula value
        # (0.1+0.2 -> 0.30000000000000004) are binary noise, not money.
        return Decimal(f"{raw:.15g}")
    text = _text(raw)
    if text is None:
        return None
    cleaned = text
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if pounds:
        cleaned = _POUND.sub("", cleaned)
    elif cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    cleaned = cleaned.strip()
    if ("," in cleaned or " " in cleaned) and not _GROUPED.match(cleaned):
        raise ValueError(f"{text!r} is not {what} (misplaced thousands separator)")
    cleaned = cleaned.replace(",", "").replace(" ", "")
    if cleaned.startswith("-") and cleaned[1:2] == "-":
        raise ValueError(f"{text!r} is not {what}")
    if not _NUMBER.match(cleaned):
        raise ValueError(f"{text!r} is not {what}")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not {what}") from None
    if negative:
        if value < 0:
            raise ValueError(f"{text!r} is negative twice")
        value = -value
    return value


def parse_amount(raw: object) -> Decimal | None:
    return _decimal(raw, "an amount in pounds", pounds=True)


def parse_number(raw: object) -> Decimal | None:
    return _decimal(raw, "a number", pounds=False)


def parse_boolean(raw: object) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    text = _text(raw)
    if text is None:
        return None
    try:
        return _BOOLEANS[text.lower()]
    except KeyError:
        raise ValueError(f"{text!r} is not a yes/no value (Y/N, Yes/No, TRUE/FALSE, 1/0)") from None


def parse_fiscal_year(raw: object) -> str | None:
    text = _text(raw)
    if text is None:
        return None
    m = _FISCAL_YEAR.match(text)
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValueError(f"{text!r} is not a fiscal year like 2025-26")
    return f"{m.group(1)}-{m.group(2)}"


def _integer_parser(column: Column) -> Callable[[object], int | None]:
    if column.max is not None:
        bounds = f" (allowed {column.min}-{column.max})"
    else:
        bounds = f" (allowed {column.min} or more)" if column.min is not None else ""

    def parse(raw: object) -> int | None:
        value = parse_number(raw)
        if value is None:
            return None
        if value != value.to_integral_value():
            raise ValueError(f"{raw!r} is not a whole number")
        number = int(value)
        if (column.min is not None and number < column.min) or \
                (column.max is not None and number > column.max):
            raise ValueError(f"{number} is outside the allowed range{bounds}")
        return number

    return parse


def _enum_parser(column: Column) -> Callable[[object], str | None]:
    words = {" ".join(w.lower().split()): w for w in column.allowed}
    listed = ", ".join(column.allowed)

    def parse(raw: object) -> str | None:
        text = _text(raw)
        if text is None:
            return None
        try:
            return words[" ".join(text.lower().split())]
        except KeyError:
            raise ValueError(f"{text!r} is not one of: {listed}") from None

    return parse


_SIMPLE = {
    "text": parse_text,
    "date": parse_date,
    "timestamp": parse_timestamp,
    "amount": parse_amount,
    "number": parse_number,
    "boolean": parse_boolean,
    "fiscal_year": parse_fiscal_year,
}


def _remembering(parse: Callable[[object], object]) -> Callable[[object], object]:
    """Remember results for columns whose values repeat (dates, periods, codes, enums)."""
    known: dict[object, object] = {}

    def remembered(raw: object) -> object:
        try:
            return known[raw]
        except KeyError:
            value = parse(raw)  # a ValueError is not remembered: the next row says it again
            if len(known) < 50_000:
                known[raw] = value
            return value
        except TypeError:  # unhashable cell
            return parse(raw)

    return remembered


def parser_for(column: Column) -> Callable[[object], object]:
    """The parser of one column; required-ness is checked by the caller."""
    if column.type == "integer":
        parse = _integer_parser(column)
    elif column.type == "enum":
        parse = _enum_parser(column)
    else:
        parse = _SIMPLE[column.type]
    if column.type in ("text", "amount", "number"):
        return parse
    return _remembering(parse)
