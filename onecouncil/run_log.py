"""Where the logs of a command run by hand go: one file per command under
$ONECOUNCIL_HOME/logs/runs, not the terminal.

`onecouncil demo`, `run` and `ingest` run the DAGs in this process (dag.test), so
Airflow's task logs, dbt's output and Great Expectations' and WeasyPrint's logs would
print between the command's own lines (its progress and summary tables) and bury them.
While `into()` is open, the process's standard output and error (file descriptors 1 and
2, so every logger and library writing to them, whenever it took its reference to
sys.stdout) are the run's log file, and the command's own consoles write to the
terminal (or pipe) they had. Under the scheduler nothing here runs: each task's log is
Airflow's as usual.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

KEEP = 20  # run logs kept per home; older ones are removed when a new run starts

_current: Path | None = None


def current() -> Path | None:
    """The log file of the command running, if one is open."""
    return _current


def errors(limit: int = 5) -> list[str]:
    """The last errors in the open (or last opened) run log: each logged error's line and
    the exception each traceback ended with, for the message saying what failed."""
    if _last is None or not _last.exists():
        return []
    found: list[str] = []
    in_traceback = False
    with _last.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("Traceback (most recent call last)"):
                in_traceback = True
            elif in_traceback and line and not line[0].isspace():
                if not line.startswith(("During handling", "The above exception")):
                    found.append(line)
                    in_traceback = False
            elif "[error" in line or " ERROR " in line:
                found.append(line)
    return found[-limit:]


_last: Path | None = None


def _prune(folder: Path, keep: int) -> None:
    logs = sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime)
    for old in logs[:max(0, len(logs) - keep + 1)]:
        old.unlink(missing_ok=True)


@contextmanager
def into(logs: Path, name: str, consoles: Iterable = ()) -> Iterator[Path]:
    """Send this process's output to logs/runs/<name>-<UTC time>.log while the block runs;
    `consoles` (rich Consoles) keep writing where they wrote. Inside another `into()` (a
    command the demo calls) the outer log is used."""
    global _current, _last
    if _current is not None:
        yield _current
        return
    folder = logs / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    _prune(folder, KEEP)
    path = folder / f"{name}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.log"
    consoles = list(consoles)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    streams = {fd: os.fdopen(saved[fd], "w", buffering=1, encoding="utf-8", closefd=False)
               for fd in saved}
    before = [(c, c._file) for c in consoles]
    for c in consoles:
        c.file = streams[2 if c.stderr else 1]
    # Airflow reads its log level when it is first imported: the task logs at INFO, here.
    ours = "AIRFLOW__LOGGING__LOGGING_LEVEL" not in os.environ
    if ours:
        os.environ["AIRFLOW__LOGGING__LOGGING_LEVEL"] = "INFO"
    log_fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    # sys.stdout may not be descriptor 1 (pytest's capture): for the while, it is. These
    # are never closed: a logger that took one keeps writing to 1 and 2 afterwards.
    saved_sys = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (open(fd, "w", buffering=1, encoding="utf-8",  # noqa: SIM115
                                   errors="backslashreplace", closefd=False) for fd in (1, 2))
    try:
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        _current = _last = path
        yield path
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        sys.stdout, sys.stderr = saved_sys
        os.dup2(saved[1], 1)
        os.dup2(saved[2], 2)
        os.close(log_fd)
        for c, file in before:
            c.file = file
        for fd, stream in streams.items():
            stream.flush()
            os.close(saved[fd])
        if ours:
            os.environ.pop("AIRFLOW__LOGGING__LOGGING_LEVEL", None)
        _current = None


def last() -> Path | None:
    """The log file of the last command run in this process, open or not."""
    return _last
