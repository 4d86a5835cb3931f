"""Parse a file's data rows: typed rows to load, bad rows kept aside with a reason.

A row is quarantined (the file still loads) when a required value is missing or
unparsable, a value is outside its allowed set, or its key repeats an earlier
row of the same file. Whole-file faults are raised as FileRefused by the caller
once the rows are read: no data rows, a control total that does not match, or
more than one snapshot date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from collections.abc import Iterator

from onecouncil.feeds.model import Feed
from onecouncil.ingest import derive
from onecouncil.ingest.reader import FileRefused, Header, is_blank, is_trailer
from onecouncil.ingest.values import parse_amount, parse_number, parser_for


@dataclass
class Quarantined:
    line_number: int
    reason: str
    raw: dict[str, str]


@dataclass(kw_only=True)
class FileCounts:
    """What reading one file counts, row by row or by columns alike: the load records them
    and refuse_whole_file judges the file by them."""

    rows_read: int = 0
    rows_loaded: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)
    control_total: Decimal | None = None
    control_total_line: int | None = None
    column_sum: Decimal = Decimal(0)
    snapshots: set = field(default_factory=set)


@dataclass
class ParsedFile(FileCounts):
    """Counters filled in while `rows()` is consumed."""

    feed: Feed
    header: Header
    source: Iterator[tuple[int, list[object]]]
    defaults: dict[str, object]

    def rows(self) -> Iterator[tuple[int, tuple, dict | None]]:
        """Yield (line number, values in feed.raw_columns order, extra columns) per good row."""
        feed, header = self.feed, self.header
        plan = [(c.name, header.positions.get(c.name), parser_for(c), c.required,
                 self.defaults.get(c.name)) for c in feed.columns]
        total_index = next((i for i, c in enumerate(feed.columns)
                            if c.name == feed.control_total), None) \
            if feed.control_total in header.positions else None
        total_at = header.positions.get(feed.control_total) if feed.control_total else None
        key_at = [i for i, c in enumerate(feed.columns) if c.name in feed.key]
        snapshot_at = next((i for i, c in enumerate(feed.columns) if c.name == feed.snapshot), None)
        derivations = [derive.DERIVATIONS[name] for name in feed.derived]
        names = {c.name: i for i, c in enumerate(feed.columns)}
        width = len(header.names)
        seen: dict[tuple, int] = {}
        column_sum = Decimal(0)
        for line, cells in self.source:
            first = cells[0] if cells else None
            quick = first.__class__ is str and first[:1].isalnum() and first[:5].upper() != "TOTAL"
            if not quick:  # the common data row skips these checks
                if is_blank(cells):
                    continue
                if is_trailer(cells):
                    self._trailer(line, cells, total_at)
                    continue
            self.rows_read += 1
            errors: list[str] = []
            values: list[object] = []
            ncells = len(cells)
            for name, at, parse, required, default in plan:
                try:
                    value = parse(cells[at] if at is not None and at < ncells else None)
                except ValueError as e:
                    errors.append(f"{name}: {e}")
                    value = None
                else:
                    if value is None:
                        value = default
                        if value is None and required:
                            errors.append(f"{name}: a required value is missing")
                values.append(value)
            if total_index is not None and values[total_index] is not None:
                # every row counts towards the control total, quarantined or not
                column_sum += values[total_index]
                self.column_sum = column_sum
            if not errors:
                key = tuple(_canonical(c) for c in cells) if feed.whole_row_unique \
                    else tuple(values[i] for i in key_at)
                if key_at or feed.whole_row_unique:
                    if key in seen:
                        what = "the whole row" if feed.whole_row_unique \
                            else "key (" + ", ".join(feed.key) + ")"
                        errors.append(f"{what} repeats line {seen[key]} of this file")
                    else:
                        seen[key] = line
            if errors:
                self.quarantined.append(Quarantined(line, "; ".join(errors), self._raw(cells)))
                continue
            if snapshot_at is not None:
                self.snapshots.add(values[snapshot_at])
            for fn in derivations:
                values.append(fn(values, names))
            # every declared wide column gets a value (None when the file has none of
            # its columns), so each row has exactly the raw table's columns
            for wide_column in feed.wide:
                gathered = {}
                for at, label in header.wide.get(wide_column, {}).items():
                    if at < len(cells) and not is_blank([cells[at]]):
                        try:
                            gathered[label] = str(parse_number(cells[at]))
                        except ValueError:
                            gathered[label] = _canonical(cells[at])
                values.append(gathered or None)
            extra = {name: _canonical(cells[at]) for at, name in header.extras.items()
                     if at < len(cells) and not is_blank([cells[at]])}
            if len(cells) > width:  # values beyond the header (an unnamed trailing column)
                extra.update({f"column {at + 1}": _canonical(cells[at])
                              for at in range(width, len(cells)) if not is_blank([cells[at]])})
            self.rows_loaded += 1
            yield line, tuple(values), extra or None

    def _trailer(self, line: int, cells: list[object], total_at: int | None) -> None:
        if total_at is None or total_at >= len(cells) or is_blank([cells[total_at]]):
            return
        try:
            self.control_total = parse_amount(cells[total_at])
        except ValueError as e:
            raise FileRefused(
                f"the TOTAL row at line {line} has no readable control total: {e}") from None
        self.control_total_line = line

    def _raw(self, cells: list[object]) -> dict[str, str]:
        return raw_values(self.header.names, cells)

    def check_whole_file(self) -> None:
        """Raise FileRefused for the faults that refuse a whole file."""
        refuse_whole_file(self)


def raw_values(names: list[str], cells: list[object]) -> dict[str, str]:
    """A quarantined row's values as they came, by header name (`column N` where unnamed)."""
    raw: dict[str, str] = {}
    for at, cell in enumerate(cells):
        name = names[at] if at < len(names) else ""
        name = name or f"column {at + 1}"
        while name in raw:
            name += "'"
        raw[name] = _canonical(cell)
    return raw


def refuse_whole_file(parsed) -> None:
    """Raise FileRefused for the faults that refuse a whole file; `parsed` is either parser
    (row by row here, or columnar), which keep the same running totals."""
    if parsed.rows_read == 0:
        raise FileRefused("zero data rows: the file has a header but no data")
    if parsed.control_total is not None and parsed.control_total != parsed.column_sum:
        raise FileRefused(
            f"control total mismatch: the TOTAL row at line {parsed.control_total_line} says "
            f"£{parsed.control_total:,} but the {parsed.feed.control_total} column sums to "
            f"£{parsed.column_sum:,} (difference £{parsed.control_total - parsed.column_sum:,})")
    if len(parsed.snapshots) > 1:
        listed = ", ".join(sorted(str(s) for s in parsed.snapshots))
        raise FileRefused(f"more than one {parsed.feed.snapshot} in one file: {listed}")


def _canonical(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, (datetime, date, time)):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)
