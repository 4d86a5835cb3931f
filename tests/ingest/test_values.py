"""The cell parsers of onecouncil.ingest.values against sources.md "Rules for every file".

Pure unit tests: no database. Every rule has cases that must parse and cases that
must be refused with a reason.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from onecouncil.feeds import feed_by_folder
from onecouncil.feeds.model import Column
from onecouncil.ingest.values import (
    LONDON,
    parse_amount,
    parse_boolean,
    parse_date,
    parse_fiscal_year,
    parse_number,
    parse_text,
    parse_timestamp,
    parser_for,
)

# -- dates --------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("2025-04-30", date(2025, 4, 30)),  # ISO
    ("30/04/2025", date(2025, 4, 30)),  # UK
    ("30/04/25", date(2025, 4, 30)),  # UK, two-digit year
    ("30-Apr-2025", date(2025, 4, 30)),
    ("30-apr-2025", date(2025, 4, 30)),
    ("1/4/2025", date(2025, 4, 1)),  # day first, never month first
    ("  30/04/2025  ", date(2025, 4, 30)),
    ("2025-04-30 14:30", date(2025, 4, 30)),  # a date-time may follow the date
    ("2025-04-30T14:30:00", date(2025, 4, 30)),
    ("30/04/2025 14:30:59", date(2025, 4, 30)),
    ("30-Apr-2025 09:00", date(2025, 4, 30)),
    (datetime(2025, 4, 30, 14, 30), date(2025, 4, 30)),  # XLSX: a real Excel date-time
    (date(2025, 4, 30), date(2025, 4, 30)),
    ("", None),
    ("   ", None),
    (None, None),
])
def test_date_parses(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw, reason", [
    ("04/30/2025", "not a real date"),  # US order
    ("12/31/25", "not a real date"),
    ("31/02/2025", "not a real date"),
    ("29/02/2025", "not a real date"),  # 2025 is no leap year
    ("14:30", "time and no date"),
    ("14:30:00", "time and no date"),
    (time(14, 30), "time and no date"),  # XLSX: a cell formatted as a time
    (45777, "number"),  # an Excel serial that openpyxl did not turn into a date
    (45777.5, "number"),
    ("April 2025", "not a date"),
    ("30.04.2025", "not a date"),
    ("2025-04-30 lunchtime", "not a time"),
])
def test_date_refused(raw, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(raw)


# -- timestamps ---------------------------------------------------------------------


@pytest.mark.parametrize("raw, utc", [
    # naive times are Europe/London: GMT in winter ...
    ("2025-01-15 12:00", datetime(2025, 1, 15, 12, 0, tzinfo=UTC)),
    ("15/01/2025 12:00:00", datetime(2025, 1, 15, 12, 0, tzinfo=UTC)),
    # ... and BST in summer
    ("2025-07-01 12:00", datetime(2025, 7, 1, 11, 0, tzinfo=UTC)),
    ("01/07/2025 12:00", datetime(2025, 7, 1, 11, 0, tzinfo=UTC)),
    ("2025-07-01T12:00:00.250", datetime(2025, 7, 1, 11, 0, 0, 250000, tzinfo=UTC)),
    ("2025-07-01", datetime(2025, 6, 30, 23, 0, tzinfo=UTC)),  # midnight London
    (datetime(2025, 7, 1, 12, 0), datetime(2025, 7, 1, 11, 0, tzinfo=UTC)),  # XLSX, naive
    (date(2025, 1, 15), datetime(2025, 1, 15, 0, 0, tzinfo=UTC)),
    # explicit offsets are honoured
    ("2025-07-01T12:00:00Z", datetime(2025, 7, 1, 12, 0, tzinfo=UTC)),
    ("2025-07-01T12:00:00+01:00", datetime(2025, 7, 1, 11, 0, tzinfo=UTC)),
    ("2025-07-01T12:00:00+0100", datetime(2025, 7, 1, 11, 0, tzinfo=UTC)),
    ("2025-01-15T12:00:00-05:00", datetime(2025, 1, 15, 17, 0, tzinfo=UTC)),
    (datetime(2025, 7, 1, 12, 0, tzinfo=UTC), datetime(2025, 7, 1, 12, 0, tzinfo=UTC)),
])
def test_timestamp_parses(raw, utc):
    value = parse_timestamp(raw)
    assert value.tzinfo is not None, "timestamps are always zone-aware"
    assert value == utc


def test_naive_timestamp_is_london_with_bst_offset():
    summer = parse_timestamp("2025-07-01 12:00")
    winter = parse_timestamp("2025-01-15 12:00")
    assert summer.utcoffset() == timedelta(hours=1)
    assert winter.utcoffset() == timedelta(0)
    assert summer.astimezone(LONDON).hour == 12


def test_utc_late_evening_is_the_next_day_in_london():
    value = parse_timestamp("2025-07-01T23:30:00Z")
    assert value.astimezone(LONDON).date() == date(2025, 7, 2)
    assert value.astimezone(LONDON).time() == time(0, 30)


@pytest.mark.parametrize("raw, reason", [
    ("14:30", "time and no date"),
    (time(14, 30), "time and no date"),
    ("07/31/2025 10:00", "not a real date"),
    ("2025-07-01 25:00", "hour must be in"),
    ("2025-07-01 noon", "not a time"),
])
def test_timestamp_refused(raw, reason):
    with pytest.raises(ValueError, match=reason):
        parse_timestamp(raw)


# -- amounts ------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("1234.56", "1234.56"),
    ("£1,234.56", "1234.56"),
    ("Â£1,234.56", "1234.56"),  # UTF-8 pound read as Windows-1252
    ("\ufffd1,234.56", "1234.56"),  # a converter's replacement character
    ("£ 1,234,567.89", "1234567.89"),
    ("1 234.56", "1234.56"),  # space as thousands separator
    ("  £12.00  ", "12.00"),
    ("-1234.56", "-1234.56"),
    ("-£1,234.56", "-1234.56"),
    ("£-1,234.56", "-1234.56"),
    ("(1,234.56)", "-1234.56"),
    ("(£1,234.56)", "-1234.56"),
    (" ( 1,234.56 ) ", "-1234.56"),
    ("0.10", "0.10"),
    (".5", "0.5"),
    ("0", "0"),
    (1234, "1234"),  # XLSX integer
    ("", None),
    (None, None),
])
def test_amount_parses(raw, expected):
    value = parse_amount(raw)
    if expected is None:
        assert value is None
    else:
        assert isinstance(value, Decimal)
        assert str(value) == expected  # the exact text, scale included


def test_amount_is_exact_decimal_never_float():
    value = parse_amount("0.10")
    assert type(value) is Decimal
    assert value == Decimal("0.10") and str(value) == "0.10"
    assert sum(parse_amount(a) for a in ("0.10", "0.20")) == Decimal("0.30")


@pytest.mark.parametrize("raw, expected", [
    (0.1, Decimal("0.1")),  # XLSX floats: what Excel showed, not the binary expansion
    (1234.56, Decimal("1234.56")),
    (-1234.56, Decimal("-1234.56")),
    (0.1 + 0.2, Decimal("0.3")),  # a cached SUM formula: binary noise beyond 15 digits
    (1234.0, Decimal("1234")),
])
def test_amount_from_xlsx_float(raw, expected):
    value = parse_amount(raw)
    assert type(value) is Decimal
    assert value == expected


@pytest.mark.parametrize("raw, reason", [
    ("12,3x", "not an amount"),
    ("12,3", "thousands separator"),  # a decimal comma is not a thousands separator
    ("1,5", "thousands separator"),
    ("(-5)", "negative twice"),
    ("abc", "not an amount"),
    ("--5", "not an amount"),
    ("-", "not an amount"),
    ("£", "not an amount"),
    ("1.2.3", "not an amount"),
    ("1e5", "not an amount"),
    ("$12.00", "not an amount"),
    (True, "not an amount"),
])
def test_amount_refused(raw, reason):
    with pytest.raises(ValueError, match=reason):
        parse_amount(raw)


# -- numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("42", Decimal("42")),
    ("-3.25", Decimal("-3.25")),
    ("1,000", Decimal("1000")),
    ("87.5%", Decimal("87.5")),
    (" 0.125 ", Decimal("0.125")),
    (7, Decimal("7")),
    (0.1, Decimal("0.1")),
    ("", None),
])
def test_number_parses(raw, expected):
    value = parse_number(raw)
    assert value == expected
    if expected is not None:
        assert type(value) is Decimal


@pytest.mark.parametrize("raw", ["n/a", "£5", "5 apples", "1.2.3", False])
def test_number_refused(raw):
    with pytest.raises(ValueError, match="not a number"):
        parse_number(raw)


# -- booleans -----------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    *[(w, True) for w in ("Y", "y", "Yes", "YES", "yes", "TRUE", "True", "true", "1", " Y ")],
    *[(w, False) for w in ("N", "n", "No", "NO", "no", "FALSE", "False", "false", "0")],
    (True, True), (False, False), (1, True), (0, False), (1.0, True),  # XLSX cells
    ("", None), (None, None),
])
def test_boolean_parses(raw, expected):
    assert parse_boolean(raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "T", "F", "2", "yes please", 2])
def test_boolean_refused(raw):
    with pytest.raises(ValueError, match="not a yes/no value"):
        parse_boolean(raw)


# -- fiscal years -------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("2025-26", "2025-26"),
    (" 2025-26 ", "2025-26"),
    ("2025/26", "2025-26"),
    ("2099-00", "2099-00"),  # across a century
    ("", None),
])
def test_fiscal_year_parses(raw, expected):
    assert parse_fiscal_year(raw) == expected


@pytest.mark.parametrize("raw", ["2025-27", "2025-25", "2025", "2025-2026", "25-26", "FY25"])
def test_fiscal_year_refused(raw):
    with pytest.raises(ValueError, match="not a fiscal year like 2025-26"):
        parse_fiscal_year(raw)


# -- integers with bounds -----------------------------------------------------------

PERIOD = feed_by_folder("finance/ledger").column("period")


@pytest.mark.parametrize("raw, expected", [
    ("1", 1), ("13", 13), (" 7 ", 7), ("12.0", 12), (13.0, 13), (5, 5), ("", None),
])
def test_integer_within_bounds(raw, expected):
    assert parser_for(PERIOD)(raw) == expected


@pytest.mark.parametrize("raw, reason", [
    ("14", r"14 is outside the allowed range \(allowed 1-13\)"),
    ("0", r"0 is outside the allowed range \(allowed 1-13\)"),
    ("-1", r"outside the allowed range \(allowed 1-13\)"),
    ("12.5", "not a whole number"),
    ("P12", "not a number"),
])
def test_integer_refused(raw, reason):
    with pytest.raises(ValueError, match=reason):
        parser_for(PERIOD)(raw)


def test_integer_without_bounds_is_unbounded():
    parse = parser_for(Column("n", "integer"))
    assert parse("1,000,000") == 1_000_000
    assert parse("-5") == -5


# -- enums --------------------------------------------------------------------------

CHANNEL = feed_by_folder("customer/contacts").column("channel")


@pytest.mark.parametrize("raw, expected", [
    ("phone", "phone"),
    ("Phone", "phone"),
    ("PHONE", "phone"),
    ("Face  to face", "face to face"),  # inner spaces collapsed
    (" Online Form ", "online form"),
    ("", None),
])
def test_enum_canonicalised(raw, expected):
    assert parser_for(CHANNEL)(raw) == expected


def test_enum_canonical_word_keeps_declared_case():
    group = feed_by_folder("reference/accounts").column("account_group")
    assert parser_for(group)("supplies and SERVICES") == "Supplies and Services"


@pytest.mark.parametrize("raw", ["carrier pigeon", "phones", "face-to-face"])
def test_enum_refused_lists_allowed_words(raw):
    with pytest.raises(ValueError) as e:
        parser_for(CHANNEL)(raw)
    message = str(e.value)
    assert repr(raw) in message
    for word in ("phone", "online form", "email", "webchat", "face to face"):
        assert word in message


# -- text and dispatch --------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    (" CC100 ", "CC100"),
    (1001.0, "1001"),  # XLSX stores codes like 1001 as numbers
    (1001, "1001"),
    (date(2025, 4, 30), "2025-04-30"),
    ("", None),
    (None, None),
])
def test_text(raw, expected):
    assert parse_text(raw) == expected


@pytest.mark.parametrize("column_type, raw, expected", [
    ("text", "x", "x"),
    ("date", "30/04/2025", date(2025, 4, 30)),
    ("amount", "(£1.00)", Decimal("-1.00")),
    ("number", "2.5", Decimal("2.5")),
    ("boolean", "Yes", True),
    ("fiscal_year", "2025-26", "2025-26"),
])
def test_parser_for_dispatches_by_type(column_type, raw, expected):
    assert parser_for(Column("c", column_type))(raw) == expected
