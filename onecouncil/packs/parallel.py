"""Render one pack for several periods side by side, or stamp several packs Final side by
side: a process per pack, up to the cores.

WeasyPrint's layout is Python and CPU-bound (about 11 s of a finance pack's 13 s here),
so threads would take turns on the GIL; processes do not. Each worker opens its own
read-only connection as the transformer (as the renderer does) and is started fresh
("spawn"): the task process runs threads (Airflow's, the sign-off watcher) that a fork
would copy mid-step. ONECOUNCIL_PACK_WORKERS caps the processes (1: one after another).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from onecouncil.calendar import FiscalTime
from onecouncil.quality.results import Verdict

WORKERS_VARIABLE = "ONECOUNCIL_PACK_WORKERS"


def workers(periods: int) -> int:
    """How many processes render `periods` periods (or stamp that many packs): one per
    period, at most ONECOUNCIL_PACK_WORKERS or else the cores not busy now; one inside a
    daemonic process, which may not start any."""
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    try:
        cap = max(1, int(wanted)) if wanted else _idle_cores()
    except ValueError:
        raise ValueError(f"{WORKERS_VARIABLE} must be a whole number of processes, not "
                         f"{wanted!r}") from None
    if multiprocessing.current_process().daemon:
        return 1
    return max(1, min(cap, periods))


def _idle_cores() -> int:
    # On a machine other work keeps busy, more processes than free cores only add each
    # worker's start (about 4 s of imports) to the same CPU time: measured here, two
    # workers at a load of 7 on 2 cores took 89 s for what one did in 75 s. The cores free
    # are read off the last half second, not the load average: the packs come straight
    # after the transform and sign-off straight after the renders, whose finished
    # processes keep the one-minute average near the core count for a minute after
    # (measured in the demo: every period of the finance pack rendered in one process).
    import psutil

    cores = os.cpu_count() or 1
    return max(1, round(cores * (100 - psutil.cpu_percent(interval=0.5)) / 100))


def render_each(conn, pack: str, periods: list[FiscalTime], output: Path,
                verdict: Verdict) -> list[list[Path]]:
    """The files written for each period, in the periods' order."""
    from onecouncil.packs import render_pack

    n = workers(len(periods))
    if n == 1:
        return [render_pack(conn, pack, str(p.year), p.label, output, verdict) for p in periods]
    jobs = [(pack, str(p.year), p.label, str(output), verdict) for p in periods]
    return _in_processes(n, _render_one, jobs)


def _in_processes(n: int, work, jobs: list[tuple]) -> list:
    """`work` of each job in `n` fresh ("spawn") processes, results in the jobs' order."""
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(work, jobs))


def _render_one(job: tuple) -> list[Path]:
    from onecouncil.packs import render_pack
    from onecouncil.warehouse import connect

    pack, fiscal_year, label, output, verdict = job
    with connect(role="transformer", read_only=True, autocommit=True) as conn:
        return render_pack(conn, pack, fiscal_year, label, Path(output), verdict)


def restamp_each(jobs: list[tuple[Path, str]], *, by: str, at) -> list[str]:
    """Stamp each (folder, pack) Final, signed off by `by` at `at`, side by side: each
    restamp lays out its whole PDF again (5-9 s for a finance or quarterly pack here),
    which in one process after another was half of the demo's pack time. Why each pack
    that could not be stamped was refused (stamp.CannotSignOff), the others stamped."""
    n = workers(len(jobs))
    work = [(folder, pack, by, at) for folder, pack in jobs]
    refused = ([_restamp_one(job) for job in work] if n == 1
               else _in_processes(n, _restamp_one, work))
    return [r for r in refused if r]


def _restamp_one(job: tuple) -> str | None:
    from onecouncil.packs.stamp import CannotSignOff, restamp

    folder, pack, by, at = job
    try:
        restamp(Path(folder), pack, by=by, at=at)
    except CannotSignOff as e:
        return str(e)
    return None
