"""The ingestion DAG's work: prepare the warehouse, load each feed, record the run.

Loading connects as the warehouse's loader role (warehouse.roles); opening the run
(pipelines.runs) migrates, as the owner.
"""

from __future__ import annotations

import logging
from pathlib import Path

from onecouncil import settings as _settings
from onecouncil.feeds import feed_by_folder
from onecouncil.ingest.run import ingest_feed, record_not_feed_files, survey, waiting_files
from onecouncil.pipelines.runs import claim_run, open_run
from onecouncil.warehouse import connect

log = logging.getLogger(__name__)


def landing_folder(param: str | None) -> Path:
    return Path(param).expanduser().resolve() if param else _settings.load().landing


def prepare_run(run_id: str, dag_id: str, landing: Path, period: str | None = None) -> None:
    """Start (or check) the warehouse, bring its schemas up to date, open the run record."""
    from onecouncil.feeds.council import load as council_words

    council_words()  # the council's header words are valid, or the run stops saying why
    open_run(run_id, dag_id, period)
    if not landing.is_dir():
        raise FileNotFoundError(
            f"the landing folder {landing} does not exist, so no file was read; create it "
            "(`onecouncil service up` creates $ONECOUNCIL_HOME/landing) or give the run the "
            "folder the files arrive in (DAG param `landing`, `onecouncil ingest --landing DIR`)")
    # what is not a feed file is refused in ops.files with its reason, never just skipped
    with connect(role="loader", autocommit=True) as conn:
        for o in record_not_feed_files(conn, survey(landing), run_id=run_id):
            log.warning("%s/%s is not a feed file, left where it is: %s", o.feed, o.file_name,
                        o.reason)


def anything_arrived(landing: Path) -> bool:
    """Some feed has a file waiting in the landing folder."""
    from onecouncil.feeds import FEEDS
    from onecouncil.ingest.run import arrived_files

    return any(arrived_files(landing, feed) for feed in FEEDS)


def load_feed(folder: str, landing: Path, run_id: str) -> list[dict]:
    feed = feed_by_folder(folder)
    with connect(role="loader", autocommit=True) as conn:
        claim_run(conn, run_id)
        outcomes = ingest_feed(
            conn, feed, landing, run_id=run_id,
            progress=lambda o: log.info("%s %s: %s, %d rows loaded, %d quarantined%s",
                                        o.feed, o.file_name, o.outcome, o.rows_loaded,
                                        o.rows_quarantined, f" ({o.reason})" if o.reason else ""))
        settle = _settings.load().settle_seconds
        for path in waiting_files(landing, feed, settle):
            log.info("%s changed less than %gs ago, so may still be being written: it waits "
                     "for the next run", path, settle)
        if any(o.outcome == "loaded" for o in outcomes):
            # fresh statistics, or the planner guesses badly for the marts built on top
            conn.execute(f"analyze raw.{feed.table}")
    return [o.as_dict() for o in outcomes]


def finish_run(run_id: str, outcome: str) -> dict:
    """Close the run record with its file counts; returns them."""
    with connect(role="loader", autocommit=True) as conn:
        row = conn.execute(
            """update ops.runs r set finished_at = now(), outcome = %(outcome)s,
                   files_loaded = c.loaded, files_refused = c.refused, files_duplicate = c.duplicate
               from (select count(*) filter (where outcome = 'loaded') as loaded,
                            count(*) filter (where outcome = 'refused') as refused,
                            count(*) filter (where outcome = 'duplicate') as duplicate
                     from ops.files where run_id = %(run_id)s) c
               where r.run_id = %(run_id)s
               returning files_loaded, files_refused, files_duplicate""",
            {"run_id": run_id, "outcome": outcome}).fetchone()
    return dict(zip(("files_loaded", "files_refused", "files_duplicate"), row or (0, 0, 0)))


def loaded_feeds(run_id: str) -> list[str]:
    """The feeds (folders) this run loaded at least one file of, in folder order."""
    with connect(autocommit=True) as conn:
        rows = conn.execute("select distinct feed from ops.files where run_id = %s "
                            "and outcome = 'loaded' order by feed", (run_id,)).fetchall()
    return [feed for (feed,) in rows]
