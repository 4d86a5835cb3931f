"""The `raw` and `ops` schemas: created and extended idempotently from the registry.

Raw tables keep every row ever loaded. A row replaced by a later file (a
restated period) keeps its place with `_replaced_at` and `_replaced_by_sha256`
set, so history is never lost; current rows have `_replaced_at is null`.
"""

from __future__ import annotations

import hashlib
import inspect

import psycopg
from psycopg import sql

from onecouncil.feeds import FEEDS
from onecouncil.feeds.model import Feed
from onecouncil.warehouse import roles

OPS_DDL = """
create schema if not exists ops;
create schema if not exists raw;

create table if not exists ops.runs (
    run_id text primary key,
    dag_id text not null,
    period text,
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    outcome text not null default 'running'
        check (outcome in ('running', 'success', 'failed', 'abandoned')),
    checks_failed integer not null default 0,
    checks_warned integer not null default 0,
    files_loaded integer not null default 0,
    files_refused integer not null default 0,
    files_duplicate integer not null default 0
);

create table if not exists ops.files (
    file_id bigserial primary key,
    -- null for a file that is not a feed file (ingest.run): refused without being read
    sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
    feed text not null,
    file_name text not null,
    arrived_at timestamptz not null,
    processed_at timestamptz not null default now(),
    outcome text not null check (outcome in ('loaded', 'refused', 'duplicate')),
    reason text,
    rows_read integer not null default 0,
    rows_loaded integer not null default 0,
    rows_quarantined integer not null default 0,
    rows_replaced integer not null default 0,
    control_total numeric,
    encoding text,
    size_bytes bigint not null,
    archive_path text,
    run_id text,
    check (rows_read = rows_loaded + rows_quarantined),
    check (outcome <> 'refused' or reason is not null)
);
-- The same bytes load (or are refused) once; later arrivals are `duplicate`.
create unique index if not exists files_sha256_once
    on ops.files (sha256) where outcome in ('loaded', 'refused');
create index if not exists files_run on ops.files (run_id);

create table if not exists ops.quarantine (
    quarantine_id bigserial primary key,
    file_id bigint not null references ops.files (file_id) deferrable initially deferred,
    sha256 text not null,
    feed text not null,
    line_number integer not null,
    reason text not null,
    raw jsonb not null
);
create index if not exists quarantine_file on ops.quarantine (file_id);

-- One row per data-quality check per run: dbt data tests and GX expectations alike.
create table if not exists ops.check_results (
    run_id text not null,
    check_name text not null,
    source text not null check (source in ('dbt', 'gx', 'freshness')),
    relation text,
    severity text not null check (severity in ('blocking', 'warning')),
    status text not null check (status in ('pass', 'fail', 'error', 'skipped')),
    failing_rows bigint,
    message text,
    checked_at timestamptz not null default now(),
    primary key (run_id, source, check_name)
);
-- Feed freshness (quality.freshness) joined dbt and GX as a source of checks.
do $$ begin
    if exists (select 1 from pg_constraint
               where conname = 'check_results_source_check'
                 and conrelid = 'ops.check_results'::regclass
                 and pg_get_constraintdef(oid) not like '%freshness%') then
        alter table ops.check_results drop constraint check_results_source_check;
        alter table ops.check_results add constraint check_results_source_check
            check (source in ('dbt', 'gx', 'freshness'));
    end if;
end $$;

-- Every sign-off decision on a pack (onecouncil.signoff): who approved or rejected which
-- period's pack, at which data version, when, and why it was rejected. One row per pack
-- and period per DAG run, so a retried approval task records its decision once.
create table if not exists ops.signoffs (
    signoff_id bigserial primary key,
    pack text not null,
    period text not null,
    data_version text not null check (data_version ~ '^[0-9a-f]{64}$'),
    decision text not null check (decision in ('approved', 'rejected')),
    decided_by text not null,
    decided_at timestamptz not null,
    reason text,
    dag_id text not null,
    run_id text not null,
    check (decision = 'approved' or reason is not null),
    unique (dag_id, run_id, pack, period)
);
create index if not exists signoffs_pack_period on ops.signoffs (pack, period);

-- Every alert to the data team (onecouncil.notify), emailed or not; one row per event.
create table if not exists ops.notifications (
    notification_id bigserial primary key,
    event_key text not null unique,
    kind text not null,
    period text,
    subject text not null,
    body text not null,
    recipients text[] not null default '{}',
    created_at timestamptz not null default now(),
    attempted_at timestamptz,
    attempts integer not null default 0,
    delivered boolean not null default false,
    error text,
    check (delivered or attempts = 0 or error is not null)
);
"""

# Changes to tables made by an earlier version (create table if not exists keeps them).
UPGRADE_DDL = """
alter table ops.files alter column sha256 drop not null;
alter table ops.files alter column archive_path drop not null;
alter table ops.runs add column if not exists host text;
alter table ops.runs add column if not exists pid integer;
alter table ops.runs drop constraint if exists runs_outcome_check;
alter table ops.runs add constraint runs_outcome_check
    check (outcome in ('running', 'success', 'failed', 'abandoned'));
-- a partial transform copies the checks it did not run from the run that last ran them
alter table ops.check_results add column if not exists carried_forward_from text;
create table if not exists ops.schema_versions (
    version text primary key,
    applied_at timestamptz not null default now()
);
"""

META_COLUMNS = [
    ("extra_columns", "jsonb"),
    ("_file_id", "bigint not null"),
    ("_sha256", "text not null"),
    ("_line_number", "integer not null"),
    ("_loaded_at", "timestamptz not null"),
    ("_replaced_at", "timestamptz"),
    ("_replaced_by_sha256", "text"),
]

# The raw columns a load fills from its transaction's settings (their defaults).
LOAD_SETTINGS = {"_file_id": "onecouncil.file_id", "_sha256": "onecouncil.sha256",
                 "_loaded_at": "onecouncil.loaded_at"}

# Why these functions say `immutable`, which they are not: COPY plans each column's default
# once, when it starts, and the planner works out an immutable function of constants there
# and then, so every row gets a constant. Read as `current_setting(...)::type`, the defaults
# were worked out again on every row (a lookup of the setting and, for the load time, the
# parse of a timestamp): 1,000,000 ledger rows took the server 2.4-2.9 s to COPY, 1.4-1.6 s
# with these. A load sets its settings before its COPY, in its own transaction, and only
# COPY fills these columns from their defaults (nothing prepares an INSERT that leans on
# them, whose plan could keep an earlier load's value).
LOAD_SETTING_DDL = """
create or replace function ops.load_setting(setting text) returns text
    language plpgsql immutable as
    $$ begin return nullif(current_setting(setting, true), ''); end $$;
create or replace function ops.load_time(setting text) returns timestamptz
    language plpgsql immutable as
    $$ begin return nullif(current_setting(setting, true), '')::timestamptz; end $$;
"""


def raw_table(feed: Feed) -> sql.Identifier:
    return sql.Identifier("raw", feed.table)


def _ensure_raw(conn: psycopg.Connection, feed: Feed) -> None:
    table = raw_table(feed)
    columns = feed.raw_columns + META_COLUMNS
    conn.execute(sql.SQL("create table if not exists {} ({})").format(
        table,
        sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t))
                           for n, t in columns)))
    for name, pg_type in columns:  # a column added to the registry later
        conn.execute(sql.SQL("alter table {} add column if not exists {} {}").format(
            table, sql.Identifier(name), sql.SQL(pg_type.replace(" not null", ""))))
    # A loading transaction names its file in settings (ingest.load), so COPY sends only
    # a file's values, not the file id, hash and load time again on every row.
    for name, setting in LOAD_SETTINGS.items():
        pg_type = dict(META_COLUMNS)[name].replace(" not null", "")
        if pg_type == "timestamptz":
            default = sql.SQL("ops.load_time({})").format(sql.Literal(setting))
        else:
            default = sql.SQL("ops.load_setting({})::{}").format(sql.Literal(setting),
                                                                 sql.SQL(pg_type))
        conn.execute(sql.SQL("alter table {} alter column {} set default {}").format(
            table, sql.Identifier(name), default))
    # BRIN, not B-tree: rows arrive file by file, so a block range holds one file or a few
    # and its file ids and replace scope (a period, a snapshot date) are narrow. Keeping a
    # B-tree up to date cost a COPY of 1,000,000 ledger rows more than all its parsing; a
    # BRIN index costs it almost nothing. (The partial B-tree on the replace scope of
    # current rows is gone: the scope's BRIN index finds the same blocks.)
    _ensure_index(conn, table, f"{feed.table}__file", ["_file_id"])
    conn.execute(sql.SQL("drop index if exists {}").format(
        sql.Identifier("raw", f"{feed.table}__current")))
    if feed.replace_scope:
        _ensure_index(conn, table, f"{feed.table}__scope", list(feed.replace_scope))
    conn.execute(sql.SQL("comment on table {} is {}").format(
        table,
        sql.Literal(f"{feed.folder}: {feed.description} Current rows: _replaced_at is null.")))


def _ensure_index(conn: psycopg.Connection, table: sql.Identifier, name: str,
                  columns: list[str]) -> None:
    """A BRIN index on the raw table's columns, made again where an earlier version made it
    another kind (a B-tree). Autosummarize: autovacuum summarises each block range as soon
    as a load fills it, so the next file's replace update skips it (a range not yet
    summarised is read whatever it holds)."""
    index = sql.Identifier("raw", name)
    kind = conn.execute("select am.amname from pg_class c join pg_am am on am.oid = c.relam "
                        "where c.oid = to_regclass(%s)", (index.as_string(conn),)).fetchone()
    if kind and kind[0] != "brin":
        conn.execute(sql.SQL("drop index {}").format(index))
    conn.execute(sql.SQL("create index if not exists {} on {} using brin ({}) "
                         "with (autosummarize = on)").format(
        sql.Identifier(name), table, sql.SQL(", ").join(map(sql.Identifier, columns))))
    conn.execute(sql.SQL("alter index {} set (autosummarize = on)").format(index))


def schema_version() -> str:
    """A hash of everything migrate() would do: the DDL, the feeds' raw tables and the code
    that builds them. Add DDL to OPS_DDL (or UPGRADE_DDL) and it is part of the version."""
    feeds = [(f.folder, f.table, f.raw_columns, f.replace_scope, f.description, f.set_rule)
             for f in FEEDS]
    text = "\n".join([OPS_DDL, UPGRADE_DDL, LOAD_SETTING_DDL, repr(META_COLUMNS),
                      repr(LOAD_SETTINGS), repr(feeds), inspect.getsource(_ensure_raw),
                      inspect.getsource(_ensure_index),
                      roles.schema_text()])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _applied(conn: psycopg.Connection, version: str) -> bool:
    if conn.execute("select to_regclass('ops.schema_versions')").fetchone()[0] is None:
        return False
    return conn.execute("select 1 from ops.schema_versions where version = %s",
                        (version,)).fetchone() is not None


def migrate(conn: psycopg.Connection) -> bool:
    """Create or extend ops and raw, once per schema version; True if it changed anything.

    A version already applied costs one read and takes no lock, so a run starting while
    another loads never waits on (or deadlocks with) its table locks; the first run of a
    new version migrates under an advisory lock while any other waits, then finds it done.
    """
    version = schema_version()
    if _applied(conn, version):
        return False
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(hashtext('onecouncil.migrate'))")
        if _applied(conn, version):
            return False
        conn.execute(OPS_DDL)
        conn.execute(UPGRADE_DDL)
        conn.execute(LOAD_SETTING_DDL)
        for feed in FEEDS:
            _ensure_raw(conn, feed)
        # after the tables: its grants are `on all tables`
        roles.ensure(conn, [raw_table(f) for f in FEEDS if f.set_rule])
        conn.execute("insert into ops.schema_versions (version) values (%s)", (version,))
    return True
