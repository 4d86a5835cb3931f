"""A small, strict reader of contracts/sources.md, used only to check the simulator.

It is not the ingestion (that lives in onecouncil.ingest); it reads a landing file
the way the contract describes and says what should happen to it, so the tests can
hold the simulator's manifest to the contract rather than to itself. Where the
contract can be read two ways (are duplicate keys counted among all rows or only
valid ones? does the control total cover quarantined rows?) it checks both
readings agree, so the manifest holds whichever way the ingestion reads it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from onecouncil.feeds.model import Column, Feed, header_key

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$")
_UK_MON = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{4})$")


class Bad(ValueError):
    pass


def parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for rx in (_ISO, _UK, _UK_MON):
        m = rx.match(text)
        if not m:
            continue
        try:
            if rx is _ISO:
                return date(int(m[1]), int(m[2]), int(m[3]))
            if rx is _UK:
                y = int(m[3])
                return date(y + 2000 if y < 100 else y, int(m[2]), int(m[1]))
            return date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        except (ValueError, KeyError) as e:
            raise Bad(f"invalid date {text!r}") from e
    raise Bad(f"unparsable date {text!r}")


def parse_amount(value: object) -> Decimal:
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    t = str(value).strip().replace("Â£", "").replace("£", "").replace("\ufffd", "")
    t = t.replace(",", "").strip()
    neg = t.startswith("(") and t.endswith(")")
    if neg:
        t = t[1:-1].strip()
    try:
        v = Decimal(t)
    except InvalidOperation as e:
        raise Bad(f"unparsable amount {value!r}") from e
    return -v if neg else v


def check(col: Column, value: object) -> object:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if col.required:
            raise Bad(f"missing {col.name}")
        return None
    t = col.type
    if t == "date":
        return parse_date(value)
    if t == "timestamp":
        d = parse_date(value)  # raises on a time with no date
        text = str(value).strip()
        m = re.search(r"(\d{2}):(\d{2})(?::(\d{2}))?$", text)
        if m and len(text) > 10:
            return datetime(d.year, d.month, d.day, int(m[1]), int(m[2]), int(m[3] or 0))
        return datetime(d.year, d.month, d.day)
    if t == "amount":
        return parse_amount(value)
    if t == "number":
        try:
            return Decimal(str(value).strip())
        except InvalidOperation as e:
            raise Bad(f"{col.name} not a number") from e
    if t == "integer":
        try:
            v = int(str(value).strip())
        except ValueError as e:
            raise Bad(f"{col.name} not an integer") from e
        if (col.min is not None and v < col.min) or (col.max is not None and v > col.max):
            raise Bad(f"{col.name} out of range")
        return v
    if t == "boolean":
        v = str(value).strip().lower()
        if v not in ("y", "n", "yes", "no", "true", "false", "1", "0"):
            raise Bad(f"{col.name} not a boolean")
        return v in ("y", "yes", "true", "1")
    if t == "enum":
        v = str(value).strip().lower()
        if v not in {a.lower() for a in col.allowed}:
            raise Bad(f"{col.name} {value!r} not allowed")
        return v
    if t == "fiscal_year":
        v = str(value).strip()
        if not re.match(r"^\d{4}-\d{2}$", v):
            raise Bad(f"{col.name} {v!r} not a fiscal year")
        return v
    return str(value).strip()


@dataclass
class Verdict:
    outcome: str  # loaded | refused | duplicate
    rows_read: int = 0
    rows_quarantined: int = 0
    reason: str = ""
    bad_lines: list[int] = field(default_factory=list)


def _rows(feed: Feed, path: Path) -> list[list[object]]:
    data = path.read_bytes()
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), data_only=True)
        ws = wb[feed.sheet_name] if feed.sheet_name in wb.sheetnames else wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, start = [], 1
    for r in reader:  # keep every record at the line it starts on
        while len(rows) < start - 1:
            rows.append(None)
        rows.append(list(r))
        start = reader.line_num + 1
    return rows


def read(feed: Feed, path: Path, seen_hashes: set[str]) -> Verdict:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest in seen_hashes:
        return Verdict("duplicate")
    seen_hashes.add(digest)
    rows = _rows(feed, path)
    names = {c.name: c.header_names for c in feed.columns}
    header_at, mapping = None, {}
    for i, row in enumerate(rows):
        if row is None:  # a continuation line of a quoted field
            continue
        norm = [header_key(v) for v in row]
        found = {}
        for c in feed.columns:
            for k, h in enumerate(norm):
                if h in names[c.name]:
                    found[c.name] = k
                    break
        if all(c.name in found for c in feed.required):
            header_at, mapping = i, found
            break
    if header_at is None:
        return Verdict("refused", reason="no header")
    valid: list[tuple[int, dict, tuple]] = []
    bad: list[int] = []
    all_rows: list[tuple[int, tuple, tuple, bool]] = []  # line, key, raw, ok
    total_all = Decimal(0)
    total_loaded = Decimal(0)
    trailer = None
    read_count = 0
    for i in range(header_at + 1, len(rows)):
        raw = rows[i]
        if raw is None or all(v is None or str(v).strip() == "" for v in raw):
            continue
        if str(raw[0]).strip().upper() == "TOTAL":
            trailer = raw
            continue
        read_count += 1
        values = {}
        ok = True
        for c in feed.columns:
            k = mapping.get(c.name)
            v = raw[k] if k is not None and k < len(raw) else None
            try:
                values[c.name] = check(c, v)
            except Bad:
                ok = False
        key = tuple(str(values.get(k)) for k in feed.key)
        rawt = tuple("" if v is None else str(v) for v in raw)
        all_rows.append((i + 1, key, rawt, ok))
        if feed.control_total and values.get(feed.control_total) is not None:
            total_all += values[feed.control_total]
        if ok:
            valid.append((i + 1, values, key))
        else:
            bad.append(i + 1)
    if read_count == 0:
        return Verdict("refused", reason="zero data rows")

    def duplicates(candidates: list[tuple[int, tuple, tuple, bool]]) -> set[int]:
        seen: set = set()
        dup = set()
        for line, key, rawt, _ in candidates:
            ident = rawt if feed.whole_row_unique else key
            if not feed.key and not feed.whole_row_unique:
                continue
            if ident in seen:
                dup.add(line)
            seen.add(ident)
        return dup

    dup_valid = duplicates([r for r in all_rows if r[3]])
    dup_all = duplicates(all_rows) - set(bad)
    if dup_valid != dup_all:
        raise AssertionError(f"{path}: duplicate count depends on the reading "
                             f"({sorted(dup_valid ^ dup_all)[:5]})")
    loaded = [v for v in valid if v[0] not in dup_valid]
    if feed.control_total:
        for _, values, _ in loaded:
            total_loaded += values[feed.control_total] or 0
    if trailer is not None and feed.control_total:
        k = mapping[feed.control_total]
        expected = parse_amount(trailer[k])
        if expected != total_all:
            return Verdict("refused", read_count, reason="control total mismatch")
        if expected != total_loaded:
            raise AssertionError(f"{path}: control total holds only counting quarantined rows")
    if feed.snapshot:
        snaps = {str(v[1][feed.snapshot]) for v in loaded}
        if len(snaps) > 1:
            return Verdict("refused", read_count, reason="more than one snapshot date")
    lines = sorted(set(bad) | dup_valid)
    return Verdict("loaded", read_count, len(lines), bad_lines=lines)
