"""Read a landing file's bytes into numbered rows of cells, and find its header.

CSV: UTF-8 (with or without BOM), else Windows-1252; comma-delimited, `"`-quoted,
quoted fields may hold commas and new lines; line numbers are the physical line
a record starts on. XLSX: the sheet named after the feed, else the first sheet,
formula cells by their cached value; line numbers are sheet row numbers.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from collections.abc import Iterator

from onecouncil.feeds.model import Feed, header_key, normalise_header

HEADER_SEARCH_ROWS = 25  # title rows above the header (Excel exports) are few


class FileRefused(Exception):
    """The whole file is refused; the message is its one reason."""


@dataclass
class Header:
    line_number: int
    names: list[str]  # as read
    positions: dict[str, int]  # declared column -> cell index
    wide: dict[str, dict[int, str]]  # wide raw column -> {cell index: key}
    extras: dict[int, str]  # cell index -> header name, for columns not declared


def _utf16(data: bytes) -> bool:
    """UTF-16 text: a byte-order mark, or (no mark) NULs in every other byte of ASCII text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = data[:4096]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return (odd.count(0) >= 0.9 * len(odd) and not even.count(0)) or \
        (even.count(0) >= 0.9 * len(even) and not odd.count(0))


def detect_format(data: bytes, file_name: str) -> str:
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    wrong_type = "unreadable: only .csv and .xlsx files are accepted, not " + (
        f".{suffix}" if suffix else "a file without an extension")
    if data.startswith(b"PK\x03\x04"):
        if suffix not in ("csv", "xlsx"):  # .xlsm (macros), .zip: refused by their type
            raise FileRefused(wrong_type)
        return "xlsx"
    if suffix == "xlsx":
        raise FileRefused("unreadable: named .xlsx but is not an XLSX workbook")
    if _utf16(data):
        raise FileRefused("unreadable: UTF-16 text; CSV files must be UTF-8 (with or without "
                          "BOM) or Windows-1252: save it again as 'CSV UTF-8'")
    if b"\x00" in data[:65536]:
        raise FileRefused("unreadable: a binary file, not CSV text or XLSX (it holds NUL bytes)")
    if suffix != "csv":
        raise FileRefused(wrong_type)
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, else Windows-1252 (encoding_of)."""
    encoding = encoding_of(data)
    return data.decode("utf-8-sig" if encoding == "utf-8" else "cp1252"), encoding


# bytes Windows-1252 leaves undefined: a file holding one is neither encoding
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


def encoding_of(data: bytes) -> str:
    """`utf-8` or `windows-1252`, without holding the decoded text (UTF-8 is checked a few
    MiB at a time); a file that is neither is refused, naming its first bad byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for at in range(0, len(data), 1 << 22):
            decoder.decode(data[at:at + (1 << 22)])
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    undefined = [at for at in (data.find(b) for b in _CP1252_UNDEFINED) if at >= 0]
    if undefined:
        at = min(undefined)
        raise FileRefused(f"unreadable: neither UTF-8 nor Windows-1252 text (byte "
                          f"0x{data[at]:02x} at offset {at})")
    return "windows-1252"


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=",", quotechar='"', strict=True)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as e:
        raise FileRefused(f"unreadable: CSV broken at line {reader.line_num}: {e}") from None


def xlsx_rows(data: bytes, feed: Feed) -> Iterator[tuple[int, list[object]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a bad workbook
        raise FileRefused(f"unreadable: not a readable XLSX workbook ({e})") from None
    try:
        names = {n.lower(): n for n in book.sheetnames}
        sheet = book[names.get(feed.sheet_name.lower(), book.sheetnames[0])]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        book.close()


def is_blank(cells: list[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def is_trailer(cells: list[object]) -> bool:
    for c in cells:
        if c is None or (isinstance(c, str) and not c.strip()):
            continue
        return isinstance(c, str) and c.strip().upper() == "TOTAL"
    return False


def header_lookup(feed: Feed, council: dict[str, tuple[str, ...]] | None = None
                  ) -> dict[str, tuple[str, int]]:
    """Header key -> (column, rank). A column's own name (rank 0) beats the council's words
    (1, from the feeds file), which beat the built-in synonyms (2 on, in their order)."""
    if council is None:
        from onecouncil.feeds.council import synonyms_for

        council = synonyms_for(feed)
    lookup: dict[str, tuple[str, int]] = {}

    def claim(word: str, column: str, rank: int) -> None:
        key = header_key(word)
        if key and (key not in lookup or rank < lookup[key][1]):
            lookup[key] = (column, rank)

    for column in feed.columns:
        claim(column.name, column.name, 0)
    for column in feed.columns:
        for word in council.get(column.name, ()):
            claim(word, column.name, 1)
        for rank, word in enumerate(column.synonyms, start=2):
            claim(word, column.name, rank)
    return lookup


def match_header(feed: Feed, cells: list[object],
                 lookup: dict[str, tuple[str, int]] | None = None
                 ) -> tuple[Header | None, list[str]]:
    """A Header when the row holds every required column, else the missing names. Where
    two cells name one column, the better word wins (`Payment Date` over `Invoice Date`);
    the other is kept as an extra column."""
    import re

    lookup = header_lookup(feed) if lookup is None else lookup
    keys = [header_key(c) for c in cells]
    best: dict[str, tuple[int, int]] = {}  # column -> (rank, cell index)
    for index, key in enumerate(keys):
        hit = lookup.get(key) if key else None
        if hit and (hit[0] not in best or hit[1] < best[hit[0]][0]):
            best[hit[0]] = (hit[1], index)
    positions = {column: index for column, (_, index) in best.items()}
    taken = set(positions.values())
    wide: dict[str, dict[int, str]] = {}
    extras: dict[int, str] = {}
    for index, cell in enumerate(cells):
        if index in taken or not keys[index]:
            continue
        name = normalise_header(cell)
        for raw_column, pattern in feed.wide.items():
            m = re.match(pattern, name)
            if m:
                wide.setdefault(raw_column, {})[index] = "-".join(m.groups())
                break
        else:
            extras[index] = str(cell).strip()
    missing = [c.name for c in feed.required if c.name not in positions]
    if missing:
        return None, missing
    names = ["" if c is None else str(c).strip() for c in cells]
    return Header(0, names, positions, wide, extras), []


class HeaderRefused(FileRefused):
    """No row holds every required column; says which were missing from the closest row,
    what that row held, and which of its cells look like each missing column."""

    def __init__(self, feed: Feed, missing: list[str], line_number: int, cells: list[object],
                 lookup: dict[str, tuple[str, int]]):
        self.missing = missing
        self.line_number = line_number
        self.columns = [str(c).strip() for c in cells if c is not None and str(c).strip()]
        self.candidates = likely_candidates(missing, cells, lookup)
        shown = " | ".join(self.columns)
        if len(shown) > 400:
            shown = shown[:400] + " ..."
        likely = "; ".join(
            f"{column}: " + (" or ".join(repr(c) for c in found) if found else "none look like it")
            for column, found in self.candidates.items())
        example = next(((column, found[0]) for column, found in self.candidates.items()
                        if found), (missing[0], "the header word"))
        super().__init__(
            f"no header row with the required columns (missing: {', '.join(missing)}; "
            f"looked at the first {HEADER_SEARCH_ROWS} rows). The closest was line "
            f"{line_number}, with the columns: {shown}. Likely: {likely}. If that is the "
            f"column, add the word to the feeds file (ONECOUNCIL_FEEDS_FILE): {feed.folder}: "
            f"synonyms: {example[0]}: [{example[1]!r}]")


def likely_candidates(missing: list[str], cells: list[object],
                      lookup: dict[str, tuple[str, int]], limit: int = 3
                      ) -> dict[str, list[str]]:
    """Per missing column, the row's unclaimed cells closest to any of its words."""
    from difflib import SequenceMatcher

    words: dict[str, list[str]] = {}
    for key, (column, _) in lookup.items():
        words.setdefault(column, []).append(key)
    cells_by_key = {}
    for cell in cells:
        key = header_key(cell)
        if key and key not in lookup:
            cells_by_key.setdefault(key, str(cell).strip())
    found: dict[str, list[str]] = {}
    for column in missing:
        scored = []
        for key, shown in cells_by_key.items():
            score = max(SequenceMatcher(None, key, w).ratio() for w in words.get(column, [column]))
            if len(key) >= 3 and any(len(w) >= 3 and (w in key or key in w)
                                     for w in words.get(column, [])):
                score = max(score, 0.75)  # `Trans Ref Code` holds `ref`, `Payee Nm` `payee`
            if score >= 0.7:
                scored.append((-score, shown))
        found[column] = [shown for _, shown in sorted(scored)[:limit]]
    return found


def find_header(feed: Feed, rows: Iterator[tuple[int, list[object]]]) -> Header:
    lookup = header_lookup(feed)
    best: tuple[list[str], int, list[object]] | None = None
    for line_number, cells in rows:
        if is_blank(cells):
            continue
        header, missing = match_header(feed, cells, lookup)
        if header:
            header.line_number = line_number
            return header
        if best is None or len(missing) < len(best[0]):
            best = (missing, line_number, cells)
        if line_number >= HEADER_SEARCH_ROWS:
            break
    if best is None:
        raise FileRefused("zero data rows: the file is empty")
    raise HeaderRefused(feed, best[0], best[1], best[2], lookup)


def open_rows(data: bytes, file_name: str, feed: Feed) -> tuple[str, Iterator]:
    """(encoding or 'xlsx', iterator of (line number, cells))."""
    kind = detect_format(data, file_name)
    if kind == "xlsx":
        return "xlsx", xlsx_rows(data, feed)
    text, encoding = decode_text(data)
    return encoding, csv_rows(text)
