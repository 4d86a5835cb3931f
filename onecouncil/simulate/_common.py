"""Shared plumbing for the simulator: seeds, the UK calendar, and writing landing files.

Every generator writes through a `Landing` object, which knows the output folder,
writes CSV or XLSX byte-for-byte deterministically, and keeps one `LandingFile`
record per file for the manifest (arrival time, expected outcome, row counts).
"""

from __future__ import annotations

import calendar as _cal
import csv
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import numpy as np

from onecouncil import due_dates
from onecouncil.calendar import FiscalPeriod, FiscalQuarter, FiscalYear

YEAR = FiscalYear(2025)  # the simulated fiscal year
PRIOR_YEAR = FiscalYear(2024)
COUNCIL_NAME = "Milton Keynes City Council"

# Fixed stamp written into XLSX metadata and zip entries, so files are byte-identical.
FIXED_STAMP = datetime(2025, 1, 1, 0, 0, 0)


# ----------------------------------------------------------------------------- seeds

def rng_for(seed: int, *keys: object) -> np.random.Generator:
    """A generator for one purpose: same (seed, keys) -> same stream, whatever else runs."""
    words = [int(seed) & 0xFFFFFFFF] + [zlib.crc32(str(k).encode()) for k in keys]
    return np.random.default_rng(np.random.SeedSequence(words))


# ----------------------------------------------------------------------------- calendar

# Working days are the pipeline's own (onecouncil/due_dates.py: Monday to Friday, not a
# bank holiday in England by the `holidays` package), so simulated files arrive on the
# days the real ones would and the packs fall due on the days the DAGs expect.
is_working_day = due_dates.is_working_day
working_day_after = due_dates.working_days_after


def working_days(first: date, last: date) -> list[date]:
    out, d = [], first
    while d <= last:
        if is_working_day(d):
            out.append(d)
        d += timedelta(days=1)
    return out


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def month_end(y: int, m: int) -> date:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return nxt - timedelta(days=1)


@lru_cache(maxsize=4096)
def uk(d: date | None) -> str:
    return "" if d is None else f"{d.day:02d}/{d.month:02d}/{d.year}"


def iso(d: date | None) -> str:
    return "" if d is None else d.isoformat()


def _last_sunday(y: int, m: int) -> date:
    d = month_end(y, m)
    return d - timedelta(days=(d.weekday() + 1) % 7)


def london_to_epoch(local: datetime) -> float:
    """Seconds since the epoch of a Europe/London wall-clock time (the BST rule built in,
    so the result does not depend on the machine's time zone data)."""
    midnight = datetime.min.time()
    bst_start = datetime.combine(_last_sunday(local.year, 3), midnight) + timedelta(hours=1)
    bst_end = datetime.combine(_last_sunday(local.year, 10), midnight) + timedelta(hours=2)
    offset = timedelta(hours=1) if bst_start <= local < bst_end else timedelta(0)
    return (local - offset - datetime(1970, 1, 1)).total_seconds()


def periods_to(through: FiscalPeriod) -> list[FiscalPeriod]:
    """Periods of the simulated year up to `through`, calendar months only (1..12)."""
    return [FiscalPeriod(YEAR, p) for p in range(1, min(through.period, 12) + 1)]


def quarters_ended(through: FiscalPeriod) -> list[int]:
    return [q for q in (1, 2, 3, 4) if min(through.period, 12) >= 3 * q]


def quarter_snapshots(through: FiscalPeriod) -> list[tuple[int, FiscalQuarter]]:
    """Quarter ends a quarterly snapshot feed reports: 2024-25 Q4 (the position the year
    starts from, so every run has one and Q1 has a quarter to compare with) and every
    2025-26 quarter ended by `through`. The int counts quarters from 0 (2024-25 Q4)."""
    return [(0, FiscalQuarter(PRIOR_YEAR, 4))] + [
        (q, FiscalQuarter(YEAR, q)) for q in quarters_ended(through)]


# ----------------------------------------------------------------------------- money

def pence_to_str(p: int, style: str = "plain") -> str:
    """Format integer pence. styles: plain (-1234.56), comma (1,234.56), pound (£1,234.56),
    bracket ((1,234.56) for negatives)."""
    neg = p < 0
    a = -p if neg else p
    whole, frac = divmod(a, 100)
    if style == "plain":
        return f"{'-' if neg else ''}{whole}.{frac:02d}"
    body = f"{whole:,}.{frac:02d}"
    if style == "pound":
        body = "£" + body
    if neg:
        return f"({body})" if style == "bracket" else "-" + body
    return body


def parse_amount(text: str) -> Decimal:
    """Parse an amount as the contract allows (used by tests and self-checks)."""
    t = text.strip()
    for junk in ("Â£", "£", "\ufffd", ","):
        t = t.replace(junk, "")
    t = t.strip()
    neg = t.startswith("(") and t.endswith(")")
    if neg:
        t = t[1:-1]
    value = Decimal(t)
    return -value if neg else value


# ----------------------------------------------------------------------------- bad rows

def insert_bad(rng: np.random.Generator, rows: list[list[str]],
               items: list[tuple[list[str], str, int]]) -> tuple[list[list[str]], Bad]:
    """Insert deliberately bad rows at random places.

    items: (row, reason, after) -- the bad row goes somewhere after original row
    `after` (-1 for anywhere). Returns the new rows and which of them are bad.
    """
    placed: dict[int, list[tuple[list[str], str]]] = {}
    for row, reason, after in items:
        lo = after + 1
        t = int(rng.integers(lo, len(rows) + 1)) if len(rows) + 1 > lo else len(rows)
        placed.setdefault(t, []).append((row, reason))
    out: list[list[str]] = []
    bad = Bad()
    for i in range(len(rows) + 1):
        for row, reason in placed.get(i, []):
            bad.add(len(out), reason)
            out.append(row)
        if i < len(rows):
            out.append(rows[i])
    return out, bad


def invalid_date(d: date) -> str:
    """A UK-looking date that does not exist, in d's month (31/04/2025, 32/05/2025)."""
    last = _cal.monthrange(d.year, d.month)[1]
    return f"{last + 1:02d}/{d.month:02d}/{d.year}"


def us_date(d: date, rng: np.random.Generator) -> str:
    """A US-order date in d's month that cannot be read as UK (day > 12)."""
    day = int(rng.integers(13, 29))
    return f"{d.month:02d}/{day:02d}/{d.year}"


# ----------------------------------------------------------------------------- names

FIRST_NAMES = (
    "Aisha", "Alan", "Alice", "Amir", "Amy", "Andrew", "Anita", "Ben", "Beth", "Caroline",
    "Chris", "Claire", "Daniel", "David", "Deborah", "Dev", "Emma", "Farah", "Fiona", "Gary",
    "Grace", "Hannah", "Harpreet", "Helen", "Ian", "Imran", "Jack", "James", "Jane", "Jo",
    "John", "Joseph", "Karen", "Kate", "Kwame", "Laura", "Lee", "Lisa", "Mark", "Martin",
    "Mary", "Michael", "Mohammed", "Naomi", "Neil", "Nicola", "Olu", "Paul", "Priya", "Rachel",
    "Raj", "Rebecca", "Richard", "Rob", "Ruth", "Sam", "Sarah", "Simon", "Sophie", "Stephen",
    "Stuart", "Sunita", "Tom", "Tracey", "Wendy", "Yusuf", "Zoe", "Zofia", "Gareth", "Nadia",
)
SURNAMES = (
    "Adams", "Ahmed", "Akhtar", "Allen", "Baker", "Banks", "Bell", "Bennett", "Brown", "Butler",
    "Campbell", "Carter", "Chapman", "Clarke", "Collins", "Cooper", "Davies", "Dixon", "Edwards",
    "Evans", "Fisher", "Fletcher", "Foster", "Green", "Griffiths", "Hall", "Harris", "Hughes",
    "Hussain", "Jackson", "James", "Johnson", "Jones", "Kaur", "Kelly", "Khan", "King", "Kowalski",
    "Lewis", "Marshall", "Martin", "Mason", "Mills", "Mitchell", "Moore", "Morgan", "Murphy",
    "Nowak", "Okafor", "Owen", "Palmer", "Parker", "Patel", "Phillips", "Price", "Reid",
    "Richards", "Roberts", "Robinson", "Shah", "Singh", "Smith", "Taylor", "Thomas", "Thompson",
    "Turner", "Walker", "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright", "Young",
)


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    """n distinct plausible names."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        first = FIRST_NAMES[rng.integers(len(FIRST_NAMES))]
        name = f"{first} {SURNAMES[rng.integers(len(SURNAMES))]}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


# ----------------------------------------------------------------------------- landing

@dataclass
class LandingFile:
    """What the manifest says about one file."""

    feed: str
    path: str  # relative to the landing folder, POSIX separators
    arrived_at: datetime  # Europe/London wall clock
    expected_outcome: str  # loaded | refused | duplicate
    rows_read: int
    rows_quarantined: int
    note: str = ""
    quarantine: list[dict] = field(default_factory=list)  # [{"line": n, "reason": "..."}]
    extra: dict = field(default_factory=dict)
    sha256: str = ""

    @property
    def rows_loaded(self) -> int:
        if self.expected_outcome != "loaded":
            return 0
        return self.rows_read - self.rows_quarantined


class Bad:
    """Deliberately bad rows of one file: row index (0-based among data rows) -> reason."""

    def __init__(self) -> None:
        self.rows: dict[int, str] = {}

    def add(self, index: int, reason: str) -> None:
        self.rows[index] = reason

    def __len__(self) -> int:
        return len(self.rows)


class Landing:
    """Writes landing files under `root` and records each for the manifest."""

    def __init__(self, root: Path, progress: Callable[[str], None] | None = None) -> None:
        self.root = root
        self.files: list[LandingFile] = []
        self._progress = progress

    def say(self, text: str) -> None:
        if self._progress is not None:
            self._progress(text)

    def _target(self, feed: str, name: str) -> tuple[Path, str]:
        rel = f"{feed}/{name}"
        path = self.root / feed / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path, rel

    def _record(self, feed: str, rel: str, data: bytes, arrived_at: datetime, outcome: str,
                rows_read: int, bad: Bad | None, line_of: Callable[[int], int], note: str,
                extra: dict | None) -> LandingFile:
        quarantine = []
        if bad is not None and outcome == "loaded":
            quarantine = [{"line": line_of(i), "reason": r} for i, r in sorted(bad.rows.items())]
        rec = LandingFile(
            feed=feed, path=rel, arrived_at=arrived_at, expected_outcome=outcome,
            rows_read=rows_read if outcome != "duplicate" else 0,
            rows_quarantined=len(quarantine), note=note, quarantine=quarantine,
            extra=dict(extra or {}), sha256=hashlib.sha256(data).hexdigest(),
        )
        self.files.append(rec)
        return rec

    def write_csv(
        self,
        feed: str,
        name: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        arrived_at: datetime,
        bad: Bad | None = None,
        note: str = "",
        encoding: str = "utf-8",
        bom: bool = False,
        crlf: bool = False,
        title_rows: Sequence[Sequence[str]] = (),
        trailer: Sequence[str] | None = None,
        blank_before_trailer: bool = False,
        outcome: str = "loaded",
        extra: dict | None = None,
    ) -> LandingFile:
        """Write one CSV. `rows` are the data rows (strings), counted as rows read."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
        for t in title_rows:
            w.writerow(t)
        w.writerow(header)
        w.writerows(rows)
        if trailer is not None:
            if blank_before_trailer:
                buf.write("\r\n" if crlf else "\n")
            w.writerow(trailer)
        text = buf.getvalue()
        data = text.encode(encoding)
        if bom:
            data = b"\xef\xbb\xbf" + data
        path, rel = self._target(feed, name)
        path.write_bytes(data)
        return self._record(feed, rel, data, arrived_at, outcome, len(rows), bad,
                            _csv_lines(rows, bad, len(title_rows) + 2), note, extra)

    def write_xlsx(
        self,
        feed: str,
        name: str,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        arrived_at: datetime,
        sheet_title: str,
        title_rows: Sequence[Sequence[object]] = (),
        first_sheet: tuple[str, Sequence[Sequence[object]]] | None = None,
        formulas: dict[int, Callable[[int], tuple[str, object]]] | None = None,
        bad: Bad | None = None,
        note: str = "",
        date_format: str = "dd/mm/yyyy",
        extra: dict | None = None,
    ) -> LandingFile:
        """Write one XLSX deterministically.

        formulas: column index (0-based) -> f(excel_row) returning (formula, cached value);
        the cell is written as a formula with that cached value, as Excel would save it.
        first_sheet: an extra sheet (title, rows) placed before the data sheet.
        """
        from openpyxl import Workbook
        from openpyxl.utils import get_column_letter

        wb = Workbook()
        ws = wb.active
        if first_sheet is not None:
            ws.title = first_sheet[0]
            for r in first_sheet[1]:
                ws.append(list(r))
            ws = wb.create_sheet(sheet_title)
        else:
            ws.title = sheet_title
        for t in title_rows:
            ws.append(list(t))
        ws.append(list(header))
        header_row = ws.max_row
        cached: dict[str, str] = {}
        for i, r in enumerate(rows):
            excel_row = header_row + 1 + i
            values = list(r)
            if formulas:
                for col, fn in formulas.items():
                    formula, value = fn(excel_row)
                    values[col] = "=" + formula
                    cached[f"{get_column_letter(col + 1)}{excel_row}"] = str(value)
            ws.append(values)
        for row in ws.iter_rows(min_row=header_row + 1):
            for cell in row:
                if isinstance(cell.value, (date, datetime)):
                    cell.number_format = date_format
        for col in range(1, len(header) + 1):
            ws.column_dimensions[get_column_letter(col)].width = 16
        wb.properties.creator = "Risk system export"
        wb.properties.created = FIXED_STAMP
        wb.properties.modified = FIXED_STAMP
        raw = io.BytesIO()
        wb.save(raw)
        data = _deterministic_xlsx(raw.getvalue(), cached)
        path, rel = self._target(feed, name)
        path.write_bytes(data)
        return self._record(feed, rel, data, arrived_at, "loaded", len(rows), bad,
                            lambda i: header_row + 1 + i, note, extra)

    def duplicate(self, original: LandingFile, name: str, arrived_at: datetime,
                  note: str) -> LandingFile:
        """Drop the same bytes again under another name."""
        data = (self.root / original.path).read_bytes()
        path, rel = self._target(original.feed, name)
        path.write_bytes(data)
        return self._record(original.feed, rel, data, arrived_at, "duplicate", 0, None,
                            lambda i: i, note, None)


def _csv_lines(rows: Sequence[Sequence[str]], bad: Bad | None,
               first: int) -> Callable[[int], int]:
    """Data row index -> the file line its record starts on (1-based), counting the new
    lines inside quoted fields of the rows before it, as a text editor would."""
    if bad is None or not bad.rows:
        return lambda i: first + i
    last = max(bad.rows)
    starts, line = [], first
    for row in rows[:last + 1]:
        starts.append(line)
        line += 1 + sum(f.count("\n") for f in row if "\n" in f)
    return lambda i: starts[i]


_CORE_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _deterministic_xlsx(data: bytes, cached: dict[str, str]) -> bytes:
    """Re-zip an openpyxl workbook with fixed entry times and metadata stamps, and give
    formula cells their cached values."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_STAMP.sub(lambda m: m.group(1) + stamp + m.group(3), body)
            elif info.filename.startswith("xl/worksheets/sheet") and cached:
                def fill(m: re.Match) -> bytes:
                    ref = m.group(1).decode()
                    if ref in cached:
                        return m.group(0).replace(b"<v />", b"<v>" + cached[ref].encode() + b"</v>")
                    return m.group(0)
                body = re.sub(rb'<c r="([A-Z]+\d+)"[^>]*><f>[^<]*</f><v />', fill, body)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_STAMP.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def at(d: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hh, mm, ss)
