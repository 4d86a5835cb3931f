"""What a command's progress lines count, read from where the work leaves it: the files
in a landing folder and in ops.files, the packs on disk. Each `*_poll` returns a
function for `progress.stage(poll=...)`; dbt's nodes are counted by dbt's own callback
(transform.dbt)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from onecouncil.progress import Stage


def landed_files(landing: Path) -> int:
    """How many files an ingest run of `landing` will record: each feed's files, and each
    entry that is not a feed file (it is recorded as refused)."""
    from onecouncil.feeds import FEEDS
    from onecouncil.ingest.run import arrived_files, survey

    return sum(len(arrived_files(landing, feed)) for feed in FEEDS) + len(survey(landing))


def ingest_poll(since: datetime) -> Callable[[Stage], None]:
    """Files recorded in ops.files since `since`: how many, loaded, refused or duplicate."""
    from onecouncil.warehouse import connect

    def poll(stage: Stage) -> None:
        with connect(connect_timeout=2) as conn:
            done, loaded, rows = conn.execute(
                "select count(*), count(*) filter (where outcome = 'loaded'), "
                "coalesce(sum(rows_loaded), 0) from ops.files where processed_at >= %s",
                (since,)).fetchone()
        stage.update(done, detail=f"{loaded:,} loaded, {done - loaded:,} refused or "
                                  f"duplicate; {rows:,} rows")

    return poll


def packs_poll(packs: Iterable[tuple[Path, str]], since: float) -> Callable[[Stage], None]:
    """Of these (pack folder, pack name) pairs, how many have a JSON written since `since`
    (a time.time()); a render writes the JSON after the HTML and the PDF."""
    wanted = list(packs)

    def poll(stage: Stage) -> None:
        done = 0
        for folder, name in wanted:
            path = folder / f"{name}.json"
            try:
                done += path.stat().st_mtime >= since
            except OSError:
                continue
        stage.update(done, total=len(wanted))

    return poll
