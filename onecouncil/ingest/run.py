"""Ingest what has arrived in a landing folder, feed by feed, in arrival order.

A file is picked up from `<landing>/<feed folder>/`, loaded or refused, and then
removed from the landing folder: its bytes are already in the archive and its
outcome in ops.files, so a re-run finds nothing new to do.
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable

import psycopg

from onecouncil import settings as _settings
from onecouncil.feeds import FEEDS
from onecouncil.feeds.model import Feed
from onecouncil.ingest.load import FileOutcome, load_file

# Partial uploads and editor litter are not arrivals yet.
_NOT_YET = (".part", ".tmp", ".filepart", ".crdownload")


def arrived_files(landing: Path, feed: Feed) -> list[Path]:
    folder = landing / feed.folder
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
             and not p.name.lower().endswith(_NOT_YET)]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def unknown_folders(landing: Path) -> list[str]:
    """Folders in the landing zone that no feed declares (reported, never loaded)."""
    known = {f.folder for f in FEEDS}
    found = []
    for path in sorted(landing.glob("*/*")):
        rel = path.relative_to(landing).as_posix()
        if path.is_dir() and rel not in known and not rel.startswith("_"):
            found.append(rel)
    return found


def ingest_feed(conn: psycopg.Connection, feed: Feed, landing: Path, *, run_id: str | None,
                settings: _settings.Settings | None = None,
                progress: Callable[[FileOutcome], None] | None = None) -> list[FileOutcome]:
    settings = settings or _settings.load()
    defaults = {name: value.format(council_name=settings.council_name)
                for name, value in feed.defaults.items()}
    outcomes = []
    for path in arrived_files(landing, feed):
        outcome = load_file(conn, feed, path, archive_dir=settings.archive, run_id=run_id,
                            defaults=defaults)
        path.unlink()
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes
