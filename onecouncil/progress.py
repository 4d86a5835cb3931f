"""One progress line per stage of a command run by hand: what is done of the total, and
how long it took.

On a terminal the line updates in place while the stage runs; anywhere else (make, CI,
a pipe) a plain line is printed every `interval` seconds while it runs, so a log shows
the run is alive without a live bar flooding it. Either way the stage ends with one
line that stays, e.g. `dbt build: 1,183 of 1,183 nodes built in 1m 32s`.

Work running in this process (dbt's callbacks, say) reports through `report(key, ...)`,
which does nothing when no stage of that key is open: under the scheduler nobody reads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_open: dict[str, Stage] = {}
_lock = threading.Lock()


def elapsed(seconds: float) -> str:
    """12.3s, 4m 05s, 1h 02m."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    return f"{minutes // 60}h {minutes % 60:02d}m"


class Stage:
    """A stage's count: `done` of `total` `unit`, and what else to say (`detail`)."""

    def __init__(self, name: str, unit: str, total: int | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.name, self.unit, self.total = name, unit, total
        self.done = 0
        self.detail = ""
        self._clock = clock
        self.started = clock()

    def update(self, done: int | None = None, total: int | None = None,
               detail: str | None = None) -> None:
        if done is not None:
            self.done = done
        if total is not None:
            self.total = total
        if detail is not None:
            self.detail = detail

    def line(self, final: bool = False) -> str:
        of = f" of {self.total:,}" if self.total is not None else ""
        tail = f" ({self.detail})" if self.detail else ""
        took = elapsed(self._clock() - self.started)
        when = f"in {took}" if final else f"{took} so far"
        return f"{self.name}: {self.done:,}{of} {self.unit}{tail} {when}"


def report(key: str, done: int | None = None, total: int | None = None,
           detail: str | None = None) -> None:
    """Update the open stage `key`, if there is one (from any thread)."""
    stage = _open.get(key)
    if stage is not None:
        stage.update(done, total, detail)


@contextmanager
def stage(console, key: str, name: str, unit: str, total: int | None = None, *,
          poll: Callable[[Stage], None] | None = None, interval: float = 60.0,
          tick: float = 1.0) -> Iterator[Stage]:
    """Show the stage `name` on `console` (rich) while the block runs; end with its line.

    `poll(stage)`, if given, is called every `tick` seconds from a thread beside the work
    to read the count from somewhere else (the warehouse, the output folder); a poll that
    fails is tried again at the next tick.
    """
    current = Stage(name, unit, total)
    with _lock:
        _open[key] = current
    stop = threading.Event()
    live = console.is_terminal
    status = console.status(current.line()) if live else None

    def watch() -> None:
        last_line = time.monotonic()
        while not stop.wait(tick):
            if poll is not None:
                try:
                    poll(current)
                except Exception:  # noqa: BLE001 - the next tick tries again
                    pass
            if live:
                status.update(current.line())
            elif time.monotonic() - last_line >= interval:
                console.print(current.line(), soft_wrap=True, highlight=False)
                last_line = time.monotonic()

    thread = threading.Thread(target=watch, name=f"progress-{key}", daemon=True)
    if status is not None:
        status.start()
    thread.start()
    try:
        yield current
    finally:
        stop.set()
        thread.join(timeout=tick + 5)
        if status is not None:
            status.stop()
        if poll is not None:
            try:
                poll(current)
            except Exception:  # noqa: BLE001 - the line says what was last counted
                pass
        with _lock:
            _open.pop(key, None)
        console.print(current.line(final=True), soft_wrap=True, highlight=False)
