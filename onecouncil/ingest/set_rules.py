"""Rules run in SQL over one file's rows after COPY, named by a feed's `set_rule`.

Each rule fills the feed's `computed` raw columns for the file's rows and moves
the rows it cannot accept to ops.quarantine with their line number, the row as
loaded and a reason, in the same transaction as the load. Set-based: one
statement per step over the whole file, never a Python loop per row.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from psycopg import sql

from onecouncil.feeds.model import Feed
from onecouncil.ingest.reader import FileRefused, Header
from onecouncil.warehouse.schema import raw_table

# A figure as published: a plain decimal, perhaps with an exponent (R writes 1e-05).
# `NA` or an empty cell is a figure not published: kept, with no value.
NUMBER_PATTERN = r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")

# Benchmark periods as published. Each form gives a first and last day, a label and a
# kind; the order of the branches settles the one ambiguity: `2011-12` is the financial
# year 2011/12 (second part = first year + 1), `2021-07` is July 2021.
_PERIODS = sql.SQL(r"""
with months(name, number) as (
    select m, n::int from unnest({full}::text[]) with ordinality as t(m, n)
    union
    select left(m, 3), n::int from unnest({full}::text[]) with ordinality as t(m, n)
    union select 'sept', 9
),
cells as (
    select r.ctid as row_ref, regexp_replace(btrim(r.period), '\s+', ' ', 'g') as t
    from {table} r where r._file_id = %(file_id)s
),
matched as (
    select row_ref, t,
        regexp_match(t, '^(\d{{4}})$') as cy,
        regexp_match(t, '^(\d{{4}})[/-](\d{{2}})$') as fy,
        regexp_match(t, '^(\d{{4}}) ?- ?(\d{{2}}|\d{{4}})$') as yy,
        regexp_match(t, '^(\d{{4}})/(\d{{2}}) ?- ?(\d{{2}})/(\d{{2}})$') as fyy,
        regexp_match(t, '^(\d{{4}})-(\d{{2}})$') as ym,
        regexp_match(t, '^(\d{{4}})-(\d{{2}})-(\d{{2}})$') as ymd,
        regexp_match(lower(t), '^([a-z]+) (\d{{4}})$') as my,
        regexp_match(lower(t), '^([a-z]+) (\d{{4}}) ?- ?([a-z]+) (\d{{4}})$') as mm
    from cells
),
numbers as (
    select m.*,
        (select number from months where name = m.my[1]) as my_month,
        (select number from months where name = m.mm[1]) as mm_first,
        (select number from months where name = m.mm[3]) as mm_last
    from matched m
),
parsed as (
    select row_ref, t,
        case
            when cy is not null then 'calendar year'
            when fy is not null and (fy[1]::int + 1) %% 100 = fy[2]::int then 'financial year'
            when fyy is not null and (fyy[1]::int + 1) %% 100 = fyy[2]::int
                 and (fyy[3]::int + 1) %% 100 = fyy[4]::int then 'financial years'
            when yy is not null and t like '%% - %%' then 'calendar years'
            when ym is not null and ym[2]::int between 1 and 12 then 'month'
            when ymd is not null and ymd[2]::int between 1 and 12
                 and ymd[3]::int between 1 and 31 then 'day'
            when my_month is not null then 'month'
            when mm_first is not null and mm_last is not null then 'months'
        end as kind,
        cy, fy, fyy, yy, ym, ymd, my, mm, my_month, mm_first, mm_last
    from numbers
),
-- a two-digit end year is in the century that puts it after the first year
spans as (
    select row_ref, t, kind,
        case kind
            when 'calendar year' then make_date(cy[1]::int, 1, 1)
            when 'financial year' then make_date(fy[1]::int, 4, 1)
            when 'financial years' then make_date(fyy[1]::int, 4, 1)
            when 'calendar years' then make_date(yy[1]::int, 1, 1)
            when 'month' then make_date(coalesce(ym[1], my[2])::int,
                                        coalesce(ym[2]::int, my_month), 1)
            when 'day' then make_date(ymd[1]::int, ymd[2]::int, 1) + (ymd[3]::int - 1)
            when 'months' then make_date(mm[2]::int, mm_first, 1)
        end as first_day,
        case kind
            when 'calendar year' then make_date(cy[1]::int, 12, 31)
            when 'financial year' then make_date(fy[1]::int + 1, 3, 31)
            when 'financial years' then make_date(
                fyy[1]::int / 100 * 100 + fyy[4]::int
                + case when fyy[4]::int <= fyy[1]::int %% 100 then 100 else 0 end, 3, 31)
            when 'calendar years' then make_date(
                case when length(yy[2]) = 4 then yy[2]::int
                     else yy[1]::int / 100 * 100 + yy[2]::int
                          + case when yy[2]::int <= yy[1]::int %% 100 then 100 else 0 end
                end, 12, 31)
            when 'month' then (make_date(coalesce(ym[1], my[2])::int,
                                         coalesce(ym[2]::int, my_month), 1)
                               + interval '1 month - 1 day')::date
            when 'day' then make_date(ymd[1]::int, ymd[2]::int, 1) + (ymd[3]::int - 1)
            when 'months' then (make_date(mm[4]::int, mm_last, 1)
                                + interval '1 month - 1 day')::date
        end as last_day,
        ymd
    from parsed
),
checked as (
    select *,
        kind is not null
        and (kind <> 'day' or extract(day from first_day) = ymd[3]::int)
        and last_day >= first_day as ok
    from spans
)
update {table} r set
    period_start = c.first_day,
    period_end = c.last_day,
    period_type = c.kind,
    period_label = case c.kind
        when 'calendar year' then to_char(c.first_day, 'YYYY')
        when 'financial year' then to_char(c.first_day, 'YYYY') || '/' || to_char(c.last_day, 'YY')
        when 'financial years' then to_char(c.first_day, 'YYYY') || '/'
            || to_char(c.first_day + interval '1 year', 'YY') || ' to '
            || to_char(c.last_day - interval '1 year', 'YYYY') || '/' || to_char(c.last_day, 'YY')
        when 'calendar years' then to_char(c.first_day, 'YYYY') || ' to '
            || to_char(c.last_day, 'YYYY')
        when 'month' then to_char(c.first_day, 'FMMonth YYYY')
        when 'day' then to_char(c.first_day, 'FMDD FMMonth YYYY')
        when 'months' then to_char(c.first_day, 'FMMonth YYYY') || ' to '
            || to_char(c.last_day, 'FMMonth YYYY')
    end
from checked c
where r.ctid = c.row_ref and c.ok
""")

_QUARANTINE = sql.SQL(r"""
with bad as (
    select r.ctid as row_ref, r._line_number,
        concat_ws('; ',
            case when r.period_start is null then format(
                'period: %%L is not a period as published (use 2021, 2010/11, 2015-16, '
                'April 2021, 2021-07, 2020-12-31, 2010 - 12, 2018/19 - 22/23 or '
                'Jan 2012-Dec 2012)', r.period) end,
            case when r.value is not null and upper(btrim(r.value)) <> 'NA'
                      and btrim(r.value) !~ {number}
                 then format('value: %%L is not a number (NA or an empty cell = not '
                             'published)', r.value) end,
            (select format('%%s: %%L is not a number', min(v.key), min(v.value))
               from jsonb_each_text(coalesce(r."values", '{{}}')) v
              where v.value is not null and upper(btrim(v.value)) <> 'NA'
                and btrim(v.value) <> '' and btrim(v.value) !~ {number}
             having count(*) > 0)
        ) as reason,
        to_jsonb(r) - array['_file_id', '_sha256', '_line_number', '_loaded_at',
                            '_replaced_at', '_replaced_by_sha256', 'period_start',
                            'period_end', 'period_type', 'period_label'] as raw
    from {table} r where r._file_id = %(file_id)s
),
moved as (
    delete from {table} r using bad
    where r.ctid = bad.row_ref and bad.reason <> ''
    returning bad._line_number, bad.reason, bad.raw
)
insert into ops.quarantine (file_id, sha256, feed, line_number, reason, raw)
select %(file_id)s, %(sha)s, %(feed)s, _line_number, reason, raw from moved
""")


def benchmark_measures(conn: psycopg.Connection, feed: Feed, file_id: int, sha: str,
                       header: Header) -> int:
    """Periods parsed into first day, last day, kind and label; a row whose period or
    figure cannot be read is set aside. A file with no value column is refused."""
    if "value" not in header.positions and not header.wide.get("values"):
        raise FileRefused(
            "no header row with the required columns (missing: value, or value_<measure> "
            "columns such as value_ulev)")
    table = raw_table(feed)
    params = {"file_id": file_id, "sha": sha, "feed": feed.folder}
    conn.execute(_PERIODS.format(table=table, full=sql.Literal(list(_MONTH_NAMES))), params)
    return conn.execute(_QUARANTINE.format(table=table, number=sql.Literal(NUMBER_PATTERN)),
                        params).rowcount


RULES: dict[str, Callable[..., int]] = {"benchmark_measures": benchmark_measures}


def apply(conn: psycopg.Connection, feed: Feed, file_id: int, sha: str, header: Header) -> int:
    """Run the feed's set rule over the file's rows; return how many it set aside."""
    return RULES[feed.set_rule](conn, feed, file_id, sha, header)
