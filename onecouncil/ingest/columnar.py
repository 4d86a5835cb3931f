"""Parse a CSV file's data rows column by column (Polars), not row by row.

The same rules as ingest.parse (contracts/sources.md), worked out on whole columns
of a batch of rows at a time:

- tokenising: Polars' CSV reader over the body below the header (found as before,
  by reader.find_header, in the decoded head of the file), piece by piece (about
  PIECE_BYTES, each ending at a record's end, transcoded to UTF-8 on its own); each
  record's line number is the physical line it starts on, from the new lines inside
  the previous records' fields (a cumulative sum);
- text: stripped; amounts, numbers and timestamps: a vectorised fast path for the
  forms real exports carry (`£1,234.56`, `(1,234.56)`, `30/04/2025 14:30`);
- dates, integers, enums, booleans, fiscal years and any amount or timestamp the
  fast path does not take: the distinct values of the batch only (they repeat: a
  ledger of 40,000 lines has 30 dates) go through the cell parsers of
  ingest.values, so values and quarantine reasons are exactly theirs, and the
  answers are replaced in (every column's in one pass);
- required values, reasons (`column: why; column: why`), key duplicates (against
  every earlier good row of the file, also in earlier batches: asked first of the
  sorted hashes of the earlier keys, exactly only when one matches), the control total
  (exact: Polars decimals), snapshot dates and the derived columns as column
  expressions;
- the good rows leave batch by batch as CSV for one COPY (a writer thread sends
  one batch while the next is parsed); a bad row's raw values are read again from
  its own lines of the body (bad rows are few), so quarantine keeps them exactly as
  the row-by-row reader gave them.

Memory: the parse works one piece and BATCH_ROWS rows at a time and carries only
the file's keys (and their hashes), the column sum, the snapshot dates and the
replace scopes from batch to batch; each batch's columns are dropped once copied and
the decoded text of the whole file is never made. What stays is the file's bytes,
which its hash and the archive read anyway (load.load_file).

A file this path does not take (XLSX, a feed with wide columns such as indicator
targets, a row longer than its header or a first data row shorter than it, a lone
carriage return, an odd number of quotes, CSV Polars cannot tokenise, a header not
in the first MiB) goes through ingest.parse, row by row, as before
(`columnar_eligible`, load._columnar; a later piece Polars cannot read undoes the
COPY to a savepoint and the file goes row by row).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC
from decimal import Decimal

import numpy as np
import polars as pl

from onecouncil.feeds.model import Feed
from onecouncil.ingest.parse import FileCounts, Quarantined, raw_values, refuse_whole_file
from onecouncil.ingest.reader import FileRefused, Header
from onecouncil.ingest.values import parse_amount, parser_for

# Rows parsed at a time: small enough that the server copies one batch while the
# next is parsed, large enough that each column step is worth starting.
BATCH_ROWS = 50_000
# The body is read in pieces of about this many bytes (records whole), so a file's parsed
# columns are never all in memory, and the first rows go to the server while the rest
# are still to be read.
PIECE_BYTES = 1 << 23
_S = pl.String
# The fast path takes only what it is sure of; anything else goes to the cell parser.
_P = r"(?:Â£|£|\x{FFFD})"
_D = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?"
# No space after a minus: values.parse_amount refuses `- 1234` (a misplaced separator).
_AMOUNT_OK = rf"^(?:\(\s*(?:{_P}\s*)?{_D}\s*\)|(?:{_P}\s*)?-?{_P}?{_D})$"
_NUMBER_OK = rf"^(?:\(\s*{_D}%?\s*\)|-?{_D}%?)$"
_DECORATION = r"[Â£\x{FFFD}(),\s%]"
_TS_ISO = r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?$"
_TS_UK = r"^([0-9]{2})/([0-9]{2})/([0-9]{4}) ([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?$"
_TOTAL = r"(?i)^\s*total\s*$"
_PL_TYPES = {"text": pl.String, "enum": pl.String, "fiscal_year": pl.String, "date": pl.Date,
             "timestamp": pl.Datetime("us", "UTC"), "amount": pl.String, "number": pl.String,
             "integer": pl.Int64, "boolean": pl.Boolean}


# one pass over the bytes (counting CRs and CRLFs to compare them was two)
_LONE_CR = re.compile(rb"\r(?!\n)")


def columnar_eligible(feed: Feed, encoding: str, data: bytes) -> bool:
    """Whether this file can take the columnar path (else ingest.parse, row by row).
    Asked of the bytes (UTF-8 and Windows-1252 alike hold CR, LF and `"` as themselves),
    which is quicker than of the decoded text."""
    return (encoding != "xlsx" and not feed.wide
            and _LONE_CR.search(data) is None  # a lone CR ends a line for csv
            and data.count(b'"') % 2 == 0)  # an open quote: refused by the csv reader


def body_offset(text: str, last_header_line: int) -> int:
    """Where the line after `last_header_line` starts in the text."""
    at = 0
    for _ in range(last_header_line):
        at = text.find("\n", at) + 1
        if at == 0:
            return len(text)
    return at


def _blank(expr: pl.Expr) -> pl.Expr:
    return expr.is_null() | (expr.str.strip_chars() == "")


def _fast_decimal(t: pl.Expr, pounds: bool) -> pl.Expr:
    """Decimal text of an amount or number, or null where the cell parser must decide.

    One test (no captures, so a fast automaton) takes the forms exports carry
    (`£1,234.56`, `(£1,234.56)`, `-£12`, `£-12`, `12.5%` for a number); anything else
    (a space as thousands separator, `.5`, a stray bracket) is left to
    values.parse_amount / parse_number, which give the value or the reason."""
    ok = t.str.contains(_AMOUNT_OK if pounds else _NUMBER_OK)
    digits = t.str.replace_all(_DECORATION, "")
    return pl.when(ok).then(pl.when(t.str.starts_with("(")).then("-" + digits)
                            .otherwise(digits))


def _fast_timestamp(t: pl.Expr) -> pl.Expr:
    """A naive date-time in the two commonest forms, as Europe/London, in UTC; else null."""
    iso = t.str.extract_groups(_TS_ISO)
    uk = t.str.extract_groups(_TS_UK)

    def text(parts: pl.Expr, y: str, m: str, d: str) -> pl.Expr:
        return pl.concat_str([parts.struct.field(y), pl.lit("-"), parts.struct.field(m),
                              pl.lit("-"), parts.struct.field(d), pl.lit(" "),
                              parts.struct.field("4"), pl.lit(":"), parts.struct.field("5"),
                              pl.lit(":"), parts.struct.field("6").fill_null("00")])

    joined = pl.coalesce(text(iso, "1", "2", "3"), text(uk, "3", "2", "1"))
    moment = joined.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")
    return (moment.dt.replace_time_zone("Europe/London", ambiguous="earliest",
                                        non_existent="null")
            .dt.convert_time_zone("UTC"))


def _as_polars(value: object, column_type: str) -> object:
    """A cell parser's answer as the Polars column holds it."""
    if value is None:
        return None
    if column_type in ("amount", "number"):
        return str(value)
    if column_type == "timestamp":
        return value.astimezone(UTC)
    return value


def _decide(raws: list[str], parse: Callable[[object], object], name: str, column_type: str
            ) -> pl.DataFrame:
    """The cell parser's value or reason for each distinct raw text (a short list)."""
    values: list[object] = []
    reasons: list[str | None] = []
    for raw in raws:
        try:
            values.append(_as_polars(parse(raw), column_type))
            reasons.append(None)
        except ValueError as e:
            values.append(None)
            reasons.append(f"{name}: {e}")
    return pl.DataFrame({"raw": pl.Series(raws, dtype=_S),
                         "value": pl.Series(values, dtype=_PL_TYPES[column_type]),
                         "why": pl.Series(reasons, dtype=_S)})


_KEY_SEED = 11


class _Keys:
    """The keys of the file's good rows so far, with the line each first appeared on.

    Whether a batch repeats an earlier key is asked of the sorted hashes of the earlier
    keys (no key repeats in the usual file; a binary search per key, in numpy): a join
    against every earlier key, per batch, cost a 1,000,000-row file 4.6 s. A hash that
    matches (a repeat, or rarely two keys with one hash) sends the batch to the exact joins
    against the keys themselves."""

    def __init__(self) -> None:
        self.hashes = np.empty(0, dtype=np.uint64)  # sorted
        self.frames: list[pl.DataFrame] = []

    def none_of(self, hashes: np.ndarray) -> bool:
        if not len(self.hashes) or not len(hashes):
            return True
        at = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
        return not bool(np.any(self.hashes[at] == hashes))

    def add(self, firsts: pl.DataFrame, hashes: np.ndarray) -> None:
        """`hashes` sorted."""
        self.frames.append(firsts)
        # two sorted runs: the stable sort (timsort) merges them in one pass
        self.hashes = np.sort(np.concatenate([self.hashes, hashes]), kind="stable")

    def frame(self) -> pl.DataFrame | None:
        if not self.frames:
            return None
        if len(self.frames) > 1:
            self.frames = [pl.concat(self.frames)]
        return self.frames[0]


@dataclass
class ColumnarFile(FileCounts):
    """Counters as ParsedFile's; `batches()` yields the good rows as CSV for COPY."""

    feed: Feed
    header: Header
    data: bytes  # the file's bytes
    offset: int  # where the body starts in them
    first_line: int  # its line number
    defaults: dict[str, object]
    encoding: str = "utf-8"  # of data: utf-8 or windows-1252
    body: bytes = b""  # the piece being read, as UTF-8
    body_line: int = 0  # its first line's number
    _newlines: np.ndarray | None = None
    # the replace scopes of the good rows (feed.replace_scope values), for load._replace
    scopes: set[tuple] = field(default_factory=set)

    def pieces(self) -> Iterator[tuple[int, bytes]]:
        """The body in pieces of about PIECE_BYTES, each ending at a record's end (a new line
        outside quotes: an even count of `"` since the piece began), with the number of its
        first line. `"` and new lines are themselves in UTF-8 and Windows-1252 alike."""
        data, at, line, size = self.data, self.offset, self.first_line, len(self.data)
        while at < size:
            end = data.find(b"\n", min(at + PIECE_BYTES, size))
            quotes = data.count(b'"', at, end) if end != -1 else 0
            while end != -1 and quotes % 2:  # that new line is inside a quoted field
                following = data.find(b"\n", end + 1)
                quotes += data.count(b'"', end, following) if following != -1 else 0
                end = following
            end = size if end == -1 else end + 1
            yield line, data[at:end]
            line += data.count(b"\n", at, end)
            at = end

    def frames(self) -> Iterator[pl.DataFrame]:
        """Each piece's records as string columns c0.., with their line numbers (_line)."""
        for line, piece in self.pieces():
            yield self.tokens(piece, line)

    def tokens(self, piece: bytes, line: int) -> pl.DataFrame:
        """One piece's records; it stays the piece a bad row's raw values are read from."""
        width = len(self.header.names)
        body = piece if self.encoding == "utf-8" else piece.decode("cp1252").encode("utf-8")
        self.body, self.body_line, self._newlines = body, line, None
        # Polars takes the number of fields from a text's first record: a later piece starts
        # with one of the header's width (dropped again), as the whole body would have
        later = line != self.first_line
        width_row = b",".join([b'""'] * width) + b"\n"
        frame = pl.read_csv(width_row + body if later else body, has_header=False,
                            infer_schema=False, quote_char='"',
                            schema={f"c{i}": _S for i in range(width)},
                            raise_if_empty=False)
        if later:
            frame = frame.slice(1)
        newlines = body.count(b"\n")
        if newlines == frame.height - (not body.endswith(b"\n")):
            # one line a record: no field holds a new line
            return frame.with_row_index("_line", offset=line).with_columns(
                pl.col("_line").cast(pl.Int64))
        lines = pl.sum_horizontal(
            [pl.col(f"c{i}").str.count_matches("\n", literal=True).fill_null(0)
             for i in range(width)]) + 1
        return frame.with_columns(_line=(lines.cum_sum() - lines + line).cast(pl.Int64))

    def batches(self, frames: Iterable[pl.DataFrame]) -> Iterator[bytes]:
        """CSV of the good rows, batch by batch, in the columns feed.copied_columns then
        extra_columns and _line_number (the file id, hash and load time are the raw
        table's defaults, from the loading transaction's settings). A piece is read only
        when the one before is parsed, so only a piece's columns are held at a time."""
        seen = _Keys()
        scope = list(self.feed.replace_scope)
        for frame in frames:
            for batch in frame.iter_slices(BATCH_ROWS):
                out = self._batch(batch, seen)
                if out is not None and out.height:
                    self.rows_loaded += out.height
                    if scope:
                        self.scopes.update(out.select(scope).unique().rows())
                    buffer = io.BytesIO()
                    out.write_csv(buffer, include_header=False,
                                  datetime_format="%Y-%m-%d %H:%M:%S%.f%z")
                    yield buffer.getvalue()

    def _batch(self, batch: pl.DataFrame, seen: _Keys) -> pl.DataFrame | None:
        feed, header = self.feed, self.header
        width = len(header.names)
        cells = [f"c{i}" for i in range(width)]
        # Blank rows and TOTAL rows are few: only rows whose first cell is empty or TOTAL
        # are looked at across every cell.
        plain = batch.select((pl.col("c0").str.contains(r"\S")
                              & ~pl.col("c0").str.contains(_TOTAL)).fill_null(False)
                             ).to_series()
        odd = batch.filter(~plain)
        blank = pl.all_horizontal([_blank(pl.col(c)) for c in cells])
        first = pl.coalesce([pl.when(~_blank(pl.col(c))).then(pl.col(c)) for c in cells])
        odd = odd.filter(~blank).with_columns(_trailer=first.str.contains(_TOTAL))
        total_at = header.positions.get(feed.control_total) if feed.control_total else None
        if odd.height:
            batch = pl.concat([batch.filter(plain),
                               odd.filter(~pl.col("_trailer")).drop("_trailer")]).sort("_line")
        elif not plain.all():  # (every row plain, the usual batch: no copy)
            batch = batch.filter(plain)
        for line, raw in odd.filter(pl.col("_trailer")).select(
                "_line", pl.col(f"c{total_at}") if total_at is not None else pl.lit(None)
        ).iter_rows():  # the TOTAL rows: one or two a file
            if raw is None or not raw.strip():
                continue
            try:
                self.control_total = parse_amount(raw)
            except ValueError as e:
                raise FileRefused(
                    f"the TOTAL row at line {line} has no readable control total: {e}") from None
            self.control_total_line = line
        self.rows_read += batch.height
        if not batch.height:
            return None

        batch = self._values(batch)
        if feed.control_total and feed.control_total in header.positions:
            self._add_to_sum(batch.get_column(f"v_{feed.control_total}"))

        batch = self._duplicates(batch, seen, cells)
        good = batch
        if batch.get_column("_why").null_count() < batch.height:  # (else no copy)
            bad = batch.filter(pl.col("_why").is_not_null())
            for line, reason in bad.sort("_line").select("_line", "_why").iter_rows():
                self.quarantined.append(Quarantined(line, reason, self._raw(line)))
            good = batch.filter(pl.col("_why").is_null())
        if feed.snapshot:
            self.snapshots.update(good.get_column(f"v_{feed.snapshot}").unique().to_list())
        return self._output(good)

    def _values(self, batch: pl.DataFrame) -> pl.DataFrame:
        """Each column's value (v_<name>) and the row's reasons (_why), in five passes over
        the batch whatever its width, each running every column's expressions side by side:
        the stripped text; empty to null and the fast paths; the distinct texts the fast
        paths left; their cell parsers' values and reasons replaced in, with defaults and
        required values; the reasons joined."""
        feed, header = self.feed, self.header
        stripped: list[pl.Expr] = []
        first: list[pl.Expr] = []
        for column in feed.columns:
            at = header.positions.get(column.name)
            name, kind = column.name, column.type
            t = pl.col(f"t_{name}")
            stripped.append((pl.col(f"c{at}").str.strip_chars() if at is not None
                             else pl.lit(None, dtype=_S)).alias(f"t_{name}"))
            # an empty text is no value (a when/then on strings costs more here than a
            # pass); the fast paths give null for "" too, so they read the same column
            first.append(pl.when(t != "").then(t).alias(f"t_{name}"))
            if kind in ("amount", "number"):
                first.append(_fast_decimal(t, pounds=kind == "amount").alias(f"v_{name}"))
            elif kind == "timestamp":
                first.append(_fast_timestamp(t).alias(f"v_{name}"))
        batch = batch.with_columns(stripped).with_columns(first)
        fast = {c.name for c in feed.columns if c.type in ("amount", "number", "timestamp")}
        checked = [c for c in feed.columns if c.type != "text"]
        pending = batch.select(
            (pl.col(f"t_{c.name}").filter(pl.col(f"v_{c.name}").is_null())
             if c.name in fast else pl.col(f"t_{c.name}")).drop_nulls().unique().implode()
            for c in checked) if checked else None
        final: list[pl.Expr] = []
        whys: list[pl.Expr] = []
        for column in feed.columns:
            name, kind = column.name, column.type
            t = pl.col(f"t_{name}")
            v = pl.col(f"v_{name}") if name in fast else pl.lit(None, dtype=_PL_TYPES[kind])
            why = pl.lit(None, dtype=_S)
            raws = pending.get_column(f"t_{name}")[0].to_list() if kind != "text" else []
            if kind == "text":
                v = t
            elif raws:
                decided = _decide(raws, parser_for(column), name, kind)
                v = pl.coalesce(v, t.replace_strict(decided["raw"], decided["value"],
                                                    default=None))
                if decided["why"].null_count() < decided.height:  # some text is refused
                    why = t.replace_strict(decided["raw"], decided["why"], default=None)
            default = self.defaults.get(name)
            if default is not None:
                v = pl.when(v.is_null() & t.is_null()).then(
                    pl.lit(default).cast(_PL_TYPES[kind])).otherwise(v)
            final.append(v.alias(f"v_{name}"))
            if column.required:
                why = pl.coalesce(why, pl.when(pl.col(f"v_{name}").is_null())
                                  .then(pl.lit(f"{name}: a required value is missing")))
            whys.append(why)
        batch = batch.with_columns(final)
        why = pl.concat_str(whys, separator="; ", ignore_nulls=True)
        return batch.with_columns(_why=pl.when(why != "").then(why))

    def _add_to_sum(self, amounts: pl.Series) -> None:
        present = amounts.drop_nulls()
        if not present.len():
            return
        # the digits after the point (the texts are plain decimals, no exponent: the fast
        # path's digits or str() of values.parse_amount's Decimal); a find, not a regex
        scale = int((present.str.len_bytes() - present.str.find(".", literal=True) - 1)
                    .fill_null(0).max())
        total = present.cast(pl.Decimal(38, scale)).sum()
        self.column_sum += Decimal(total)

    def _duplicates(self, batch: pl.DataFrame, seen: _Keys, cells: list[str]) -> pl.DataFrame:
        feed = self.feed
        if feed.whole_row_unique:  # the row as read: an empty field is "" however quoted
            keys = cells
            what = "the whole row"
            key_values = [pl.col(c).fill_null("") for c in cells]
        elif feed.key:
            keys = [f"v_{k}" for k in feed.key]
            what = "key (" + ", ".join(feed.key) + ")"
            key_values = [pl.col(k) for k in keys]
        else:
            return batch
        ok = batch.filter(pl.col("_why").is_null()).select(*key_values, "_line")
        key = pl.col(keys[0]) if len(keys) == 1 else pl.struct(keys)
        # sorted, the binary searches walk the earlier hashes in order
        hashes = np.sort(ok.select(key.hash(_KEY_SEED)).to_series().to_numpy())
        if not ok.select(key.is_duplicated().any()).item() and seen.none_of(hashes):
            # the usual case: no key repeats, so every good row is its key's first
            seen.add(ok.rename({"_line": "_first"}), hashes)
            return batch
        before = seen.frame()
        firsts = ok.group_by(keys, maintain_order=True).agg(pl.col("_line").min().alias("_first"))
        if before is not None:
            firsts = firsts.join(before.rename({"_first": "_before"}), on=keys, how="left",
                                 nulls_equal=True, maintain_order="left").with_columns(
                _first=pl.coalesce("_before", "_first")).drop("_before")
        repeats = ok.join(firsts, on=keys, how="left", nulls_equal=True,
                          maintain_order="left").filter(
            pl.col("_line") != pl.col("_first")).select(
            "_line", _dup=pl.format(f"{what} repeats line {{}} of this file", "_first"))
        new = firsts if before is None else firsts.join(before, on=keys, how="anti",
                                                         nulls_equal=True)
        seen.add(new, hashes)
        return batch.join(repeats, on="_line", how="left", maintain_order="left").with_columns(
            _why=pl.coalesce("_why", "_dup")).drop("_dup")

    def _output(self, good: pl.DataFrame) -> pl.DataFrame:
        feed, header = self.feed, self.header
        columns = [pl.col(f"v_{c.name}").alias(c.name) for c in feed.columns]
        for name in feed.derived:
            if name == "transaction_month":
                columns.append(pl.col("v_transaction_date").dt.truncate("1mo").alias(name))
            elif name == "contact_date":
                columns.append(pl.col("v_received_at").dt.convert_time_zone("Europe/London")
                               .dt.date().alias(name))
            else:
                raise ValueError(f"no columnar derivation of {name}")
        parts = []
        for at, name in header.extras.items():
            cell = pl.col(f"c{at}")
            encoded = pl.struct(cell.alias(name)).struct.json_encode()
            parts.append(pl.when(~_blank(cell)).then(encoded.str.slice(1, encoded.str.len_chars()
                                                                       - 2)))
        if parts:
            joined = pl.concat_str(parts, separator=",", ignore_nulls=True)
            columns.append(pl.when(joined != "").then("{" + joined + "}").alias("extra_columns"))
        else:
            columns.append(pl.lit(None, dtype=_S).alias("extra_columns"))
        columns.append(pl.col("_line"))
        return good.select(columns)

    def _raw(self, line: int) -> dict[str, str]:
        """The row at `line` as the row-by-row reader gives it, read again from its own
        lines of the body (found by an index of the body's new lines)."""
        if self._newlines is None:
            self._newlines = np.flatnonzero(np.frombuffer(self.body, dtype=np.uint8) == 10)
        index = line - self.body_line  # the line's place in the piece, from 0
        start = 0 if index == 0 else int(self._newlines[index - 1]) + 1
        cells: list[str] = []
        span = 1
        while True:  # a record with quoted new lines spans more lines: read on until whole
            last = index + span - 1
            end = int(self._newlines[last]) + 1 if last < len(self._newlines) else len(self.body)
            try:
                cells = next(csv.reader(io.StringIO(self.body[start:end].decode(), newline=""),
                                        strict=True), [])
                break
            except csv.Error:
                if end >= len(self.body):
                    raise
                span *= 2
        return raw_values(self.header.names, cells)

    def check_whole_file(self) -> None:
        refuse_whole_file(self)


