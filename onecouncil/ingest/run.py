"""Ingest what has arrived in a landing folder, feed by feed, in arrival order.

A file is picked up from `<landing>/<feed folder>/`, loaded or refused, and then
removed from the landing folder: its bytes are already in the archive and its
outcome in ops.files, so a re-run finds nothing new to do.

What is not a feed file (contracts/sources.md) is never read and never silently
skipped: a symbolic link, a file of another type than .csv/.xlsx, a file in a
sub-folder of a feed, directly in the landing folder, directly in a group folder
such as `finance/`, or in a folder no feed declares. Each is recorded in ops.files
as refused with its reason (once per version of the file: its size and change
time) and left where it is for someone to move or delete; its bytes are not read,
so nothing of it reaches the archive. A file changed in the last
`settle_seconds` (ONECOUNCIL_SETTLE_SECONDS, default 60) may still be being
written: it waits for the next run.

Two runs over the same landing folder share the work: a file is taken under a
session advisory lock named after its path, and a run that finds the lock held,
or the file gone once it holds it, leaves the file to the other run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from onecouncil import settings as _settings
from onecouncil.feeds import FEEDS
from onecouncil.feeds.model import Feed
from onecouncil.ingest.load import FileOutcome, load_file, record_arrival

FEED_FILE_TYPES = (".csv", ".xlsx")
# Partial uploads and editor litter are not arrivals yet.
_NOT_YET = (".part", ".tmp", ".filepart", ".crdownload")
SYMLINK = "a symbolic link: not read"
LANDING_ROOT = "(landing folder)"


@dataclass(frozen=True)
class NotAFeedFile:
    path: Path
    place: str  # the folder it is in, relative to the landing folder (ops.files.feed)
    reason: str


def _litter(name: str) -> bool:
    return name.startswith((".", "~$")) or name.lower().endswith(_NOT_YET)


def _settled(path: Path, settle_seconds: float, now: float) -> bool:
    # A change time in the future (a skewed clock) cannot be judged: it does not wait.
    return settle_seconds <= 0 or abs(now - path.lstat().st_mtime) >= settle_seconds


def _feed_folders() -> set[str]:
    return {f.folder for f in FEEDS}


def _refusal(rel_folder: str, entry: os.DirEntry, feeds: set[str]) -> str | None:
    """Why a file (not a symlink) at <landing>/<rel_folder>/<name> is not a feed file."""
    groups = {f.split("/", 1)[0] for f in feeds}
    if rel_folder in feeds:
        suffix = Path(entry.name).suffix.lower()
        if suffix not in FEED_FILE_TYPES:
            shown = f"a {suffix} file" if suffix else "a file without an extension"
            return f"{shown}: only .csv and .xlsx files are loaded"
        return None
    owner = next((f for f in feeds if rel_folder.startswith(f + "/")), None)
    if owner:
        return (f"in a sub-folder of the feed {owner}: only files directly in {owner}/ "
                "are loaded")
    if rel_folder == "":
        return ("directly in the landing folder, not in a feed folder: put it in its feed's "
                "folder, for example finance/payments/")
    if rel_folder in groups:
        listed = ", ".join(sorted(f for f in feeds if f.startswith(rel_folder + "/")))
        return f"directly in {rel_folder}/, not in a feed folder (those there: {listed})"
    return (f"in {rel_folder}/, which is not a feed folder (`onecouncil feeds list` names "
            "them)")


def survey(landing: Path) -> list[NotAFeedFile]:
    """Every entry under the landing folder that is not a feed file, never following a
    symbolic link. Top-level folders starting with `_` are the project's own (the
    simulator's manifest); hidden files and partial uploads are not arrivals yet."""
    feeds = _feed_folders()
    found: list[NotAFeedFile] = []

    def walk(folder: Path, rel: str) -> None:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if _litter(entry.name) or (rel == "" and entry.name.startswith("_")):
                    continue
                place = rel or LANDING_ROOT
                if entry.is_symlink():
                    found.append(NotAFeedFile(Path(entry.path), place, SYMLINK))
                elif entry.is_dir(follow_symlinks=False):
                    walk(Path(entry.path), f"{rel}/{entry.name}" if rel else entry.name)
                elif entry.is_file(follow_symlinks=False):
                    reason = _refusal(rel, entry, feeds)
                    if reason:
                        found.append(NotAFeedFile(Path(entry.path), place, reason))

    if landing.is_dir():
        walk(landing, "")
    return found


def arrived_files(landing: Path, feed: Feed, settle_seconds: float = 0) -> list[Path]:
    """The feed's files to load, in arrival order: regular .csv/.xlsx files directly in its
    folder that have not changed for `settle_seconds`."""
    folder = landing / feed.folder
    if folder.is_symlink() or not folder.is_dir():
        return []
    now = time.time()
    files = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if (entry.is_file(follow_symlinks=False) and not _litter(entry.name)
                    and Path(entry.name).suffix.lower() in FEED_FILE_TYPES):
                path = Path(entry.path)
                if _settled(path, settle_seconds, now):
                    files.append(path)
    return sorted(files, key=lambda p: (p.lstat().st_mtime, p.name))


def waiting_files(landing: Path, feed: Feed, settle_seconds: float) -> list[Path]:
    """The feed's files changed in the last `settle_seconds`: left for the next run."""
    if settle_seconds <= 0:
        return []
    every = set(arrived_files(landing, feed, 0))
    return sorted(every - set(arrived_files(landing, feed, settle_seconds)))


def record_not_feed_files(conn: psycopg.Connection, found: list[NotAFeedFile], *,
                          run_id: str | None) -> list[FileOutcome]:
    """Record each as refused in ops.files, unless this version of it (same place, name,
    size and change time) was recorded before; returns the new records."""
    recorded = []
    for item in found:
        try:
            st = item.path.lstat()
        except FileNotFoundError:  # moved away since the survey
            continue
        arrived_at = datetime.fromtimestamp(st.st_mtime, UTC)
        record = dict(sha256=None, feed=item.place, file_name=item.path.name,
                      arrived_at=arrived_at, size_bytes=st.st_size, archive_path=None,
                      run_id=run_id)
        with conn.transaction():
            conn.execute("select pg_advisory_xact_lock(hashtext(%s))",
                         (f"{item.place}/{item.path.name}",))
            seen = conn.execute(
                """select 1 from ops.files where sha256 is null and feed = %s and file_name = %s
                   and arrived_at = %s and size_bytes = %s""",
                (item.place, item.path.name, arrived_at, st.st_size)).fetchone()
            if seen:
                continue
            outcome = FileOutcome(item.place, item.path.name, None, "refused",
                                  reason=item.reason)
            record_arrival(conn, record, outcome)
        recorded.append(outcome)
    return recorded


def _take(conn: psycopg.Connection, path: Path) -> bool:
    """Hold the path's session lock, if no other run holds it and the file is still there."""
    taken = conn.execute("select pg_try_advisory_lock(hashtext('onecouncil.landing'), "
                         "hashtext(%s))", (str(path),)).fetchone()[0]
    if taken and not path.exists():
        _release(conn, path)
        return False
    return taken


def _release(conn: psycopg.Connection, path: Path) -> None:
    conn.execute("select pg_advisory_unlock(hashtext('onecouncil.landing'), hashtext(%s))",
                 (str(path),))


def ingest_feed(conn: psycopg.Connection, feed: Feed, landing: Path, *, run_id: str | None,
                settings: _settings.Settings | None = None,
                progress: Callable[[FileOutcome], None] | None = None) -> list[FileOutcome]:
    """Load the feed's arrived files; `conn` must be in autocommit mode."""
    settings = settings or _settings.load()
    defaults = {name: value.format(council_name=settings.council_name)
                for name, value in feed.defaults.items()}
    outcomes = []
    for path in arrived_files(landing, feed, settings.settle_seconds):
        if not _take(conn, path):
            continue  # another run has it, or has already loaded it
        try:
            outcome = load_file(conn, feed, path, archive_dir=settings.archive, run_id=run_id,
                                defaults=defaults)
            path.unlink(missing_ok=True)
        finally:
            _release(conn, path)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes
