"""Load one landing file: archive it, then load it or refuse it, in one transaction.

Per file, in order: hash the bytes; keep them in the archive (written while the rest
goes on; nothing commits before they are kept); if the same bytes
loaded (or were refused) before, record a `duplicate` arrival and stop; else
COPY the good rows into raw.<feed>, keep bad rows in ops.quarantine, apply the
feed's replace scope and record the file in ops.files, all in one transaction.
A refusal rolls that back and records the file as `refused` with its reason.
A process killed mid-COPY leaves nothing behind but the archived bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime, UTC
from pathlib import Path

import polars as pl
import psycopg
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter
from psycopg.types.json import Jsonb

from onecouncil.feeds.model import Feed
from onecouncil.ingest import archive, set_rules
from onecouncil.ingest.columnar import ColumnarFile, body_offset, columnar_eligible
from onecouncil.ingest.parse import ParsedFile
from onecouncil.ingest.reader import (
    FileRefused,
    csv_rows,
    detect_format,
    encoding_of,
    find_header,
    open_rows,
)
from onecouncil.warehouse.schema import LOAD_SETTINGS, raw_table


@dataclass
class FileOutcome:
    feed: str
    file_name: str
    sha256: str | None  # None: not a feed file, so never read (ingest.run)
    outcome: str  # loaded | refused | duplicate
    reason: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_replaced: int = 0
    control_total: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def load_file(conn: psycopg.Connection, feed: Feed, path: Path, *, archive_dir: Path,
              run_id: str | None, defaults: dict[str, object] | None = None) -> FileOutcome:
    """Load one file; `conn` must be in autocommit mode (each step owns its transaction)."""
    data = path.read_bytes()
    sha = archive.sha256_of(data)
    arrived_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    record = dict(sha256=sha, feed=feed.folder, file_name=path.name, arrived_at=arrived_at,
                  size_bytes=len(data), run_id=run_id,
                  archive_path=str(archive.archive_path(archive_dir, feed.folder, sha,
                                                        path.name)))
    # The archive's copy is written and synced (0.25 s for 94 MB here) while the file is
    # read and copied; no outcome commits before it is kept (an error writing it rolls the
    # load back).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive") as writer:
        keeping = writer.submit(archive.keep, archive_dir, feed.folder, sha, path.name, data)
        return _arrive(conn, feed, data, path.name, sha, record, defaults or {}, keeping.result)


def _arrive(conn, feed: Feed, data: bytes, file_name: str, sha: str, record: dict,
            defaults: dict, kept: Callable[[], Path]) -> FileOutcome:
    def arrival(outcome: str, reason: str) -> FileOutcome:
        kept()
        return _record(conn, record, FileOutcome(feed.folder, file_name, sha, outcome,
                                                 reason=reason))

    if _seen_before(conn, sha):
        return arrival("duplicate", "the same bytes arrived before; nothing new loaded")
    try:
        with conn.transaction():
            conn.execute("select pg_advisory_xact_lock(hashtext(%s))", (feed.folder,))
            outcome = _load(conn, feed, data, file_name, sha, record, defaults)
            kept()
    except FileRefused as refusal:
        return arrival("refused", str(refusal))
    except psycopg.errors.UniqueViolation:
        # Another worker loaded the same bytes while this one read them.
        return arrival("duplicate", "the same bytes were loaded at the same time by another run")
    return outcome


def _seen_before(conn: psycopg.Connection, sha: str) -> bool:
    return conn.execute("select 1 from ops.files where sha256 = %s and outcome <> 'duplicate'",
                        (sha,)).fetchone() is not None


_HEAD = 1 << 20


def _columnar(feed: Feed, data: bytes, file_name: str, defaults: dict
              ) -> tuple[str, ColumnarFile, Iterator[pl.DataFrame]] | None:
    """The file read for the columnar path (its first piece already tokenised, the rest as
    they are parsed), or None when it takes the row-by-row one."""
    if detect_format(data, file_name) != "csv":
        return None
    encoding = encoding_of(data)
    if not columnar_eligible(feed, encoding, data):
        return None
    codec = "utf-8" if encoding == "utf-8" else "cp1252"
    bom = len(codecs.BOM_UTF8) if codec == "utf-8" and data.startswith(codecs.BOM_UTF8) else 0
    # The header is among the first rows: read them from the head of the bytes, decoded
    # (a character cut at the end of the head is left out), not the whole text.
    head = codecs.getincrementaldecoder(codec)().decode(data[bom:bom + _HEAD])
    try:
        header = find_header(feed, csv_rows(head))
    except FileRefused:
        if len(data) <= bom + _HEAD:
            raise
        return None  # the head does not settle it: row by row, over the whole text
    # the header record may span lines (a quoted new line): the body starts after it
    start = body_offset(head, header.line_number - 1)
    after = csv.reader(io.StringIO(head[start:], newline=""))
    next(after)
    last_header_line = header.line_number - 1 + after.line_num
    offset = bom + len(head[:body_offset(head, last_header_line)].encode(codec))
    parsed = ColumnarFile(feed, header, data, offset, last_header_line + 1, defaults, encoding)
    frames = parsed.frames()
    try:
        first = next(frames, None)
    except pl.exceptions.PolarsError:  # a row longer than its header, odd quoting
        return None
    return encoding, parsed, itertools.chain([] if first is None else [first], frames)


def _load(conn, feed: Feed, data: bytes, file_name: str, sha: str, record: dict,
          defaults: dict) -> FileOutcome:
    columnar = _columnar(feed, data, file_name, defaults)
    file_id = conn.execute("select nextval('ops.files_file_id_seq')").fetchone()[0]
    loaded_at = datetime.now(UTC)
    parsed: ColumnarFile | ParsedFile | None = None
    if columnar:
        encoding, parsed, frames = columnar
        try:
            # a savepoint: a later piece Polars cannot tokenise (a row longer than its
            # header) undoes this COPY, and the file goes row by row
            with conn.transaction():
                _copy_columnar(conn, feed, parsed, frames, file_id, sha, loaded_at)
        except pl.exceptions.PolarsError:
            parsed = None
    if parsed is None:
        encoding, rows = open_rows(data, file_name, feed)
        parsed = ParsedFile(feed, find_header(feed, rows), rows, defaults)
        _copy_rows(conn, feed, parsed, file_id, sha, loaded_at)
    header = parsed.header
    parsed.check_whole_file()
    set_aside = set_rules.apply(conn, feed, file_id, sha, header) if feed.set_rule else 0
    rows_loaded = parsed.rows_loaded - set_aside

    if parsed.quarantined:
        with conn.cursor() as cur, cur.copy(
                "copy ops.quarantine (file_id, sha256, feed, line_number, reason, raw) "
                "from stdin") as pipe:
            for q in parsed.quarantined:
                pipe.write_row((file_id, sha, feed.folder, q.line_number, q.reason, Jsonb(q.raw)))
    # the columnar path knows the scopes its rows cover (a set rule may delete rows, so its
    # feeds ask the table)
    columnar_scopes = isinstance(parsed, ColumnarFile) and not feed.set_rule
    replaced = _replace(conn, feed, file_id, sha, parsed.scopes if columnar_scopes else None
                        ) if rows_loaded else 0
    outcome = FileOutcome(
        feed.folder, file_name, sha, "loaded", rows_read=parsed.rows_read,
        rows_loaded=rows_loaded, rows_quarantined=len(parsed.quarantined) + set_aside,
        rows_replaced=replaced,
        control_total=None if parsed.control_total is None else str(parsed.control_total))
    _insert_file(conn, record, outcome, file_id=file_id, encoding=encoding)
    return outcome


def _copy_columnar(conn, feed: Feed, parsed: ColumnarFile, frames: Iterator[pl.DataFrame],
                   file_id: int, sha: str, loaded_at: datetime) -> None:
    """One COPY of the good rows as CSV; the file id, hash and load time come from the
    columns' defaults. A writer thread sends one batch while Polars parses the next."""
    columns = feed.copied_columns + ["extra_columns", "_line_number"]
    settings = dict(zip(LOAD_SETTINGS.values(), (str(file_id), sha, loaded_at.isoformat())))
    conn.execute("select " + ", ".join(["set_config(%s, %s, true)"] * len(settings)),
                 [part for pair in settings.items() for part in pair])
    copy = sql.SQL("copy {} ({}) from stdin (format csv)").format(
        raw_table(feed), sql.SQL(", ").join(map(sql.Identifier, columns)))
    with conn.cursor() as cur, cur.copy(copy, writer=QueuedLibpqWriter(cur)) as pipe:
        for chunk in parsed.batches(frames):
            pipe.write(chunk)


def _copy_rows(conn, feed: Feed, parsed: ParsedFile, file_id: int, sha: str,
               loaded_at: datetime) -> None:
    columns = feed.copied_columns + [
        "extra_columns", "_file_id", "_sha256", "_line_number", "_loaded_at"]
    copy = sql.SQL("copy {} ({}) from stdin").format(
        raw_table(feed), sql.SQL(", ").join(map(sql.Identifier, columns)))
    adapt = _adapt if feed.wide else tuple
    with conn.cursor() as cur, cur.copy(copy) as pipe:
        for line, values, extra in parsed.rows():
            pipe.write_row((*adapt(values), Jsonb(extra) if extra else None,
                            file_id, sha, line, loaded_at))


def _adapt(values: tuple) -> tuple:
    return tuple(Jsonb(v) if isinstance(v, dict) else v for v in values)


def _replace(conn, feed: Feed, file_id: int, sha: str, scopes: set[tuple] | None = None) -> int:
    """Mark earlier current rows in the scopes this file covers as replaced; return how many.

    Earlier rows are `_file_id < file_id`: file ids come from one sequence and a file takes
    its id under its feed's lock, after every earlier load of the feed committed. That, and
    the scopes written out as values, let the raw table's BRIN indexes (schema._ensure_raw)
    pick the block ranges of earlier files in those scopes, not every row of the table."""
    table = raw_table(feed)
    scope = sql.SQL(", ").join(map(sql.Identifier, feed.replace_scope))
    params = {"file_id": file_id, "sha": sha}
    if feed.latest_by:
        query = sql.SQL("""
            with touched as (select distinct {scope} from {table} where _file_id = %(file_id)s),
            ranked as (
                select ctid as row_ref,
                       first_value(_sha256) over w as winner,
                       row_number() over w as rank
                from {table}
                where _replaced_at is null and ({scope}) in (select * from touched)
                window w as (partition by {scope}
                             order by {latest} desc, _file_id desc, _line_number desc))
            update {table} t set _replaced_at = now(), _replaced_by_sha256 = ranked.winner
            from ranked where t.ctid = ranked.row_ref and ranked.rank > 1
        """).format(scope=scope, table=table, latest=sql.Identifier(feed.latest_by))
    elif not _earlier_rows(conn, feed):
        return 0  # the feed's first rows: nothing to replace, so no scan of the file's own
    elif feed.replace_scope:
        if scopes is None:
            scopes = set(conn.execute(sql.SQL("select distinct {} from {} where _file_id = %s")
                                      .format(scope, table), (file_id,)).fetchall())
        # a null never matches a scope (as `in` never matched it)
        scopes = {s for s in scopes if None not in s}
        if not scopes:
            return 0
        if len(scopes) <= _SCOPES_AS_VALUES:
            types = {c.name: c.pg_type for c in feed.columns} | feed.derived
            within = sql.SQL(" or ").join(
                sql.SQL("({})").format(sql.SQL(" and ").join(
                    sql.SQL("{} = {}::{}").format(sql.Identifier(name), sql.Literal(value),
                                                  sql.SQL(types[name]))
                    for name, value in zip(feed.replace_scope, values)))
                for values in sorted(scopes, key=repr))
        else:  # many scopes (a backfill of a daily feed): a join, not a long list
            within = sql.SQL("({}) in (select distinct {} from {} where _file_id = %(file_id)s)"
                             ).format(scope, scope, table)
        query = sql.SQL("""
            update {table} set _replaced_at = now(), _replaced_by_sha256 = %(sha)s
            where _replaced_at is null and _file_id < %(file_id)s and ({within})
        """).format(table=table, within=within)
    else:  # the whole feed: a full snapshot replaces everything before it
        query = sql.SQL("""
            update {table} set _replaced_at = now(), _replaced_by_sha256 = %(sha)s
            where _replaced_at is null and _file_id < %(file_id)s
        """).format(table=table)
    return conn.execute(query, params).rowcount


def _earlier_rows(conn, feed: Feed) -> bool:
    """Whether an earlier file of the feed loaded rows. Asked of ops.files: the update would
    read every block of the file just copied (its BRIN ranges are not yet summarised) to
    find nothing, 0.25 s for 1,000,000 rows."""
    return conn.execute("select exists (select 1 from ops.files where feed = %s and "
                        "outcome = 'loaded' and rows_loaded > 0)", (feed.folder,)).fetchone()[0]


# more scopes than this in one file are matched by a join (a long `or` list plans slowly)
_SCOPES_AS_VALUES = 64


def _insert_file(conn, record: dict, outcome: FileOutcome, file_id: int | None = None,
                 encoding: str | None = None) -> None:
    conn.execute(
        """insert into ops.files (file_id, sha256, feed, file_name, arrived_at, outcome, reason,
               rows_read, rows_loaded, rows_quarantined, rows_replaced, control_total, encoding,
               size_bytes, archive_path, run_id)
           values (coalesce(%(file_id)s, nextval('ops.files_file_id_seq')), %(sha256)s, %(feed)s,
               %(file_name)s, %(arrived_at)s, %(outcome)s, %(reason)s, %(rows_read)s,
               %(rows_loaded)s, %(rows_quarantined)s, %(rows_replaced)s, %(control_total)s,
               %(encoding)s, %(size_bytes)s, %(archive_path)s, %(run_id)s)""",
        {**record, "file_id": file_id, "outcome": outcome.outcome, "reason": outcome.reason,
         "rows_read": outcome.rows_read, "rows_loaded": outcome.rows_loaded,
         "rows_quarantined": outcome.rows_quarantined, "rows_replaced": outcome.rows_replaced,
         "control_total": outcome.control_total, "encoding": encoding})


def record_arrival(conn, record: dict, outcome: FileOutcome) -> None:
    """Record a refused or duplicate arrival in the caller's transaction."""
    _insert_file(conn, record, outcome)


def _record(conn, record: dict, outcome: FileOutcome) -> FileOutcome:
    """Record a refused or duplicate arrival in its own transaction."""
    try:
        with conn.transaction():
            _insert_file(conn, record, outcome)
    except psycopg.errors.UniqueViolation:
        outcome.outcome, outcome.reason = "duplicate", "the same bytes were recorded by another run"
        with conn.transaction():
            _insert_file(conn, record, outcome)
    return outcome
