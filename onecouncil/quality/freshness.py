"""Feed freshness: has each feed's file arrived as often as the feed declares?

Each feed declares its cadence and grace days (feeds/registry.py, from
contracts/sources.md). A feed is late when its last loaded file arrived longer
ago than one cadence plus the grace, judged from `ops.files` in one set-based
query. A late feed is a `warning` check (source `freshness`) naming the feed and
the last file received, so it shows in the next pack's data-quality section; a
feed that has never sent a file is `skipped` (nothing to expect it from yet).

Why not `dbt source freshness`: it sees only a raw table's newest `_loaded_at`,
while the data team needs the file (its name, when it came, whether a later file
was refused), which only `ops.files` holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from psycopg import sql

from onecouncil.feeds import FEEDS
from onecouncil.feeds.model import CADENCES, Feed
from onecouncil.quality.results import CheckResult

if TYPE_CHECKING:
    import psycopg

SOURCE = "freshness"

_QUERY = """
with expected (feed, cadence, every, grace_days) as (values {expected}),
last_loaded as (
    select distinct on (feed) feed, file_name, sha256, arrived_at
    from ops.files where outcome = 'loaded'
    order by feed, arrived_at desc, file_id desc
),
last_received as (
    select distinct on (feed) feed, file_name, arrived_at, outcome, reason
    from ops.files where outcome <> 'duplicate'
    order by feed, arrived_at desc, file_id desc
)
select e.feed, e.cadence, e.grace_days, l.file_name, l.sha256, l.arrived_at,
       l.arrived_at + e.every::interval + make_interval(days => e.grace_days) as late_from,
       r.file_name, r.arrived_at, r.outcome, r.reason
from expected e
left join last_loaded l on l.feed = e.feed
left join last_received r on r.feed = e.feed
order by e.feed
"""


@dataclass(frozen=True)
class Freshness:
    feed: str
    cadence: str
    grace_days: int
    last_file: str | None  # the last file loaded
    last_sha256: str | None
    last_arrived: datetime | None
    late_from: datetime | None  # when the feed became (or becomes) late
    last_received: str | None  # the newest file that arrived, loaded or refused
    last_received_at: datetime | None
    last_received_outcome: str | None
    last_received_reason: str | None
    now: datetime

    @property
    def is_late(self) -> bool:
        return self.late_from is not None and self.late_from < self.now

    @property
    def event_key(self) -> str:
        """One lateness episode: it ends when a new file loads (a new last file)."""
        return f"late-feed:{self.feed}:{self.last_sha256 or 'never'}"

    def message(self) -> str:
        if self.last_file is None:
            return f"No file of {self.feed} has been received yet."
        when = _day(self.last_arrived)
        text = (f"{self.feed} is late: a file is expected {self.cadence} (late after "
                f"{self.grace_days} more days); the last file loaded is {self.last_file}, "
                f"received {when}, so one was due by {_day(self.late_from)}.")
        if self.last_received and self.last_received_outcome == "refused" \
                and self.last_received_at and self.last_received_at > self.last_arrived:
            text += (f" A later file, {self.last_received} ({_day(self.last_received_at)}),"
                     f" was refused: {self.last_received_reason}")
        return text

    def check(self) -> CheckResult:
        status = "skipped" if self.last_file is None else ("fail" if self.is_late else "pass")
        return CheckResult(source=SOURCE, check_name=f"freshness of {self.feed}",
                           relation=f"raw.{self.feed.replace('/', '__')}",
                           severity="warning", status=status,
                           message=self.message() if status != "pass" else
                           f"last file {self.last_file}, received {_day(self.last_arrived)}")


def _day(value: datetime | None) -> str:
    from zoneinfo import ZoneInfo

    return value.astimezone(ZoneInfo("Europe/London")).strftime("%d %B %Y") if value else "?"


def expected_feeds(feeds: tuple[Feed, ...] = FEEDS) -> list[Feed]:
    return [f for f in feeds if f.cadence is not None]


def assess(conn: psycopg.Connection, now: datetime | None = None,
           feeds: tuple[Feed, ...] = FEEDS) -> list[Freshness]:
    """The freshness of every feed that declares a cadence, as of `now` (default: now)."""
    expected = expected_feeds(feeds)
    if not expected:
        return []
    now = now or conn.execute("select now()").fetchone()[0]
    values = sql.SQL(", ").join(
        sql.SQL("({}, {}, {}, {})").format(sql.Literal(f.folder), sql.Literal(f.cadence),
                                           sql.Literal(CADENCES[f.cadence]),
                                           sql.Literal(f.late_after_days))
        for f in expected)
    rows = conn.execute(sql.SQL(_QUERY).format(expected=values)).fetchall()
    return [Freshness(*row, now=now) for row in rows]


def checks(conn: psycopg.Connection, now: datetime | None = None) -> list[CheckResult]:
    return [f.check() for f in assess(conn, now)]
