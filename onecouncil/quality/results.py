"""Check results as stored in ops.check_results, and the verdict a pack reads.

Both kinds of check (dbt data tests, GX expectations) land in the same table,
each `blocking` or `warning`. A pack reads one verdict: any blocking check that
did not pass makes it a draft, with those failures listed first.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import psycopg


@dataclass(frozen=True, order=True)
class CheckResult:
    source: str  # 'dbt', 'gx' or 'freshness'
    check_name: str
    relation: str | None
    severity: str  # 'blocking' or 'warning'
    status: str  # 'pass', 'fail', 'error' or 'skipped'
    failing_rows: int | None = None
    message: str | None = None
    # Not run this time (a partial build left its data unchanged): the run that ran it,
    # and that run's London date, which the pack names.
    carried_forward_from: str | None = None
    carried_forward_on: date | None = None

    @property
    def failed(self) -> bool:
        return self.status in ("fail", "error")


@dataclass(frozen=True)
class Verdict:
    run_id: str | None
    results: tuple[CheckResult, ...] = field(default_factory=tuple)

    @property
    def blocking_failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.failed and r.severity == "blocking"]

    @property
    def warnings(self) -> list[CheckResult]:
        return [r for r in self.results if r.failed and r.severity == "warning"]

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.status == "pass")

    @property
    def is_final(self) -> bool:
        """A pack may be final only when checks ran and no blocking check failed."""
        return self.run_id is not None and not self.blocking_failures


# source -> the check names still in the project (None: any), or name -> severity now
CarryForward = Mapping[str, Collection[str] | Mapping[str, str] | None]


def store(conn: psycopg.Connection, run_id: str, results: Iterable[CheckResult],
          carry_forward: CarryForward | None = None) -> tuple[int, int]:
    """Replace the run's results of each source given; update ops.runs' counts.

    `carry_forward` maps a source to the check names that still exist (None: any; a
    mapping gives each one's severity now): each such check this run did not run gets its
    latest result from an earlier transform run, marked `carried_forward_from` that run
    (quality.carried).

    Returns (checks_failed, checks_warned) for the run: blocking failures and
    failed warnings across every source stored for it.
    """
    results = list(results)
    carry_forward = dict(carry_forward or {})
    with conn.transaction():
        for source in sorted({r.source for r in results} | set(carry_forward)):
            conn.execute("delete from ops.check_results where run_id = %s and source = %s",
                         (run_id, source))
        with conn.cursor().copy(
                "copy ops.check_results (run_id, check_name, source, relation, severity, status,"
                " failing_rows, message) from stdin") as copy:
            for r in results:
                copy.write_row((run_id, r.check_name, r.source, r.relation, r.severity, r.status,
                                r.failing_rows, r.message))
        for source, names in sorted(carry_forward.items()):
            _carry_forward(conn, run_id, source, None if names is None else sorted(names))
            if isinstance(names, Mapping):  # each check's severity now
                conn.execute(
                    "update ops.check_results c set severity = s.severity"
                    " from unnest(%s::text[], %s::text[]) s (check_name, severity)"
                    " where c.run_id = %s and c.source = %s and c.check_name = s.check_name"
                    " and c.carried_forward_from is not null and c.severity <> s.severity",
                    (list(names), list(names.values()), run_id, source))
        failed, warned = conn.execute(
            "select count(*) filter (where severity = 'blocking' and status in ('fail','error')),"
            " count(*) filter (where severity = 'warning' and status in ('fail','error'))"
            " from ops.check_results where run_id = %s", (run_id,)).fetchone()
        conn.execute("update ops.runs set checks_failed = %s, checks_warned = %s "
                     "where run_id = %s", (failed, warned, run_id))
    return failed, warned


def _carry_forward(conn: psycopg.Connection, run_id: str, source: str,
                   names: list[str] | None) -> None:
    # The latest result of each check from an earlier transform run; a result that was
    # itself carried keeps naming the run that ran it.
    conn.execute(
        """insert into ops.check_results (run_id, check_name, source, relation, severity,
               status, failing_rows, message, checked_at, carried_forward_from)
           select %(run)s, c.check_name, c.source, c.relation, c.severity, c.status,
                  c.failing_rows, c.message, c.checked_at,
                  coalesce(c.carried_forward_from, c.run_id)
           from (select distinct on (c.check_name) c.*
                 from ops.check_results c join ops.runs r on r.run_id = c.run_id
                 where r.dag_id = 'transform' and c.run_id <> %(run)s and c.source = %(source)s
                 order by c.check_name, c.checked_at desc, r.started_at desc) c
           where (%(names)s::text[] is null or c.check_name = any(%(names)s::text[]))
             and c.check_name not like 'build: %%' and c.check_name <> 'dbt artifacts'
             and not exists (select 1 from ops.check_results n
                             where n.run_id = %(run)s and n.source = c.source
                               and n.check_name = c.check_name)""",
        {"run": run_id, "source": source, "names": names})


def latest_verdict(conn: psycopg.Connection, dag_id: str = "transform") -> Verdict:
    """The verdict of the newest finished run of `dag_id` that stored check results,
    with the newest feed-freshness checks, whichever run stored them (the daily
    `data_watch`): a feed gone late since the last transform shows in the next pack."""
    row = conn.execute(
        "select r.run_id from ops.runs r where r.dag_id = %s and r.finished_at is not null "
        "and exists (select 1 from ops.check_results c where c.run_id = r.run_id) "
        "order by r.finished_at desc limit 1", (dag_id,)).fetchone()
    found = Verdict(run_id=None) if row is None else verdict(conn, row[0])
    fresh = conn.execute(
        "select source, check_name, relation, severity, status, failing_rows, message "
        "from ops.check_results where source = 'freshness' and run_id = ("
        " select run_id from ops.check_results where source = 'freshness'"
        " order by checked_at desc limit 1)").fetchall()
    if not fresh:
        return found
    others = tuple(r for r in found.results if r.source != "freshness")
    return Verdict(run_id=found.run_id,
                   results=tuple(sorted(others + tuple(CheckResult(*r) for r in fresh))))


def verdict(conn: psycopg.Connection, run_id: str) -> Verdict:
    rows = conn.execute(
        "select c.source, c.check_name, c.relation, c.severity, c.status, c.failing_rows,"
        " c.message, c.carried_forward_from,"
        " (o.started_at at time zone 'Europe/London')::date"
        " from ops.check_results c left join ops.runs o on o.run_id = c.carried_forward_from"
        " where c.run_id = %s", (run_id,)).fetchall()
    return Verdict(run_id=run_id, results=tuple(sorted(CheckResult(*r) for r in rows)))
