"""A dry run of one file against one feed: what the loader would make of it, no warehouse.

Reads the bytes as the loader does (reader, parse), so what it says is what a run
would do: the header row and the column each required and optional column was found
under, rows that would load and be quarantined (the first reasons), the control
total, or the refusal with its hints. Rules a feed runs in SQL after the copy
(ingest.set_rules) are not applied: the dry run says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from onecouncil import settings as _settings
from onecouncil.feeds.model import Feed
from onecouncil.ingest.parse import ParsedFile
from onecouncil.ingest.reader import FileRefused, HeaderRefused, find_header, open_rows

FIRST_REASONS = 10


@dataclass
class CheckResult:
    feed: str
    file_name: str
    outcome: str  # would load | would be refused
    reason: str | None = None
    encoding: str | None = None
    header_line: int | None = None
    mapping: dict[str, str | None] = field(default_factory=dict)  # column -> header as read
    extra_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    first_quarantined: list[tuple[int, str]] = field(default_factory=list)
    control_total: Decimal | None = None
    column_sum: Decimal | None = None
    candidates: dict[str, list[str]] = field(default_factory=dict)
    closest_line: int | None = None
    closest_columns: list[str] = field(default_factory=list)
    note: str | None = None


def check_file(path: Path, feed: Feed, settings: _settings.Settings | None = None
               ) -> CheckResult:
    settings = settings or _settings.load()
    result = CheckResult(feed.folder, path.name, "would be refused")
    defaults = {name: value.format(council_name=settings.council_name)
                for name, value in feed.defaults.items()}
    try:
        data = path.read_bytes()
        result.encoding, rows = open_rows(data, path.name, feed)
        header = find_header(feed, rows)
        result.header_line = header.line_number
        result.mapping = {c.name: (header.names[header.positions[c.name]]
                                   if c.name in header.positions else None)
                          for c in feed.columns}
        result.extra_columns = list(header.extras.values())
        parsed = ParsedFile(feed, header, rows, defaults)
        for _ in parsed.rows():
            pass
        result.rows_read, result.rows_loaded = parsed.rows_read, parsed.rows_loaded
        result.rows_quarantined = len(parsed.quarantined)
        result.first_quarantined = [(q.line_number, q.reason)
                                    for q in parsed.quarantined[:FIRST_REASONS]]
        result.control_total = parsed.control_total
        if feed.control_total:
            result.column_sum = parsed.column_sum
        parsed.check_whole_file()
    except HeaderRefused as refusal:
        result.reason = str(refusal)
        result.candidates = refusal.candidates
        result.closest_line, result.closest_columns = refusal.line_number, refusal.columns
        return result
    except FileRefused as refusal:
        result.reason = str(refusal)
        return result
    result.outcome = "would load"
    rule = getattr(feed, "set_rule", None)
    if rule:
        result.note = (f"the feed's rule {rule!r} runs in the warehouse after the "
                       "copy and may set more rows aside; a dry run does not apply it")
    return result
