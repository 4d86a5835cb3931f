"""A council's year through the project's own commands, timed stage by stage.

Three measurements, each in a fresh temporary ONECOUNCIL_HOME with its own embedded
warehouse (started, and Airflow's metadata database created, before the clock starts;
stopped and removed at the end):

  year   2025-26 P01-P13 with year-end, every feed: `onecouncil simulate`, `onecouncil
         ingest`, `onecouncil transform` (the first: a full build), then the pack DAGs
         the way `onecouncil demo` runs them (cli.render_packs, every pack put up for
         sign-off approved as `demo` and the public ones published): 13 monthly periods,
         4 quarters, the year.
  dbt    in the year's warehouse, a plain `dbt build --full-refresh` of the same project
         with the same profile and target (after an untimed `dbt parse`, as a data team's
         checkout has its partial parse), then `onecouncil transform --full-refresh`.
  month  P01-P11 simulated, ingested and transformed untimed; then the files that arrive
         for P12 (those of a simulation through P12 that one through P11 did not write)
         land, and `onecouncil ingest`, `onecouncil transform` (rebuilding what the new
         files feed) and P12's monthly packs are timed.

Every command runs as its own process, its output in the bench's log file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from onecouncil import progress
from onecouncil.calendar import FiscalPeriod, FiscalQuarter, FiscalYear, periods_through
from onecouncil.settings import REPO_ROOT
from onecouncil.stages import packs_poll

YEAR = FiscalYear.parse("2025-26")
LAST = FiscalPeriod(YEAR, 13)
BEFORE_MONTH, MONTH = FiscalPeriod(YEAR, 11), FiscalPeriod(YEAR, 12)
QUARTERS = [FiscalQuarter(YEAR, q) for q in range(1, 5)]
YEAR_STAGES = ("simulate", "ingest", "transform", "monthly packs", "quarterly packs",
               "annual packs")
BIN = Path(sys.executable).parent
ONECOUNCIL = str(BIN / "onecouncil")

# The demo's way with the packs (cli.demo): render through the pack DAGs, approve as `demo`.
_PACKS = """
import sys
from onecouncil import calendar
from onecouncil.cli import render_packs
kind, items = sys.argv[1], [calendar.parse(t) for t in sys.argv[2:]]
pick = lambda k: items if kind == k else []
render_packs(pick("monthly"), pick("quarterly"), None, pick("annual"), approve_as="demo")
"""
_DBT_ENV = """
import json
from onecouncil.transform.dbt import dbt_env
print(json.dumps(dbt_env()))
"""


class Home:
    """A fresh ONECOUNCIL_HOME: its warehouse and Airflow database ready, then gone."""

    def __init__(self, console, log: Path, label: str):
        self.console, self.log, self.label = console, log, label
        self.path = Path(tempfile.mkdtemp(prefix=f"onecouncil-bench-{label.replace(' ', '')}-"))
        self.path.chmod(0o755)  # as root the embedded server runs as another user
        self.env = {**os.environ, "ONECOUNCIL_HOME": str(self.path)}
        self.env.pop("ONECOUNCIL_DATABASE_URL", None)  # always the temporary embedded one
        self.landing = self.path / "landing"
        self.output = self.path / "output"

    def command(self, argv: list[str], ok: tuple[int, ...] = (0,),
                env: dict | None = None) -> None:
        with self.log.open("a") as out:
            out.write(f"\n$ {' '.join(argv)}\n")
            out.flush()
            done = subprocess.run(argv, env=env or self.env, stdout=out, stderr=subprocess.STDOUT,
                                  cwd=REPO_ROOT)
        if done.returncode not in ok:
            tail = self.log.read_text(errors="replace").splitlines()[-30:]
            raise RuntimeError(f"`{' '.join(argv)}` exited {done.returncode}; the end of "
                               f"{self.log}:\n" + "\n".join(tail))

    def onecouncil(self, *args: str) -> None:
        self.command([ONECOUNCIL, *args])

    def timed(self, stage: str, run: Callable[[], None], total: int | None = None,
              unit: str = "commands", poll=None) -> float:
        """Run one stage under a progress line (one line each, as the demo's); seconds."""
        started = time.perf_counter()
        with progress.stage(self.console, "bench", f"{self.label}: {stage}", unit,
                            total if total is not None else 1, poll=poll) as line:
            run()
            if poll is None:
                line.update(done=line.total)
        return time.perf_counter() - started

    def packs(self, cadence: str, items: list) -> float:
        from onecouncil.packs.declarations import CADENCES, of_cadence

        kind = next(c for c in CADENCES if c.name == cadence)
        wanted = [(self.output / str(w.year) / w.label, d.name)
                  for w in items for d in of_cadence(kind)]
        poll = packs_poll(wanted, time.time())
        return self.timed(f"{cadence} packs", lambda: self.command(
            [sys.executable, "-c", _PACKS, cadence, *map(str, items)]), len(wanted), "packs", poll)

    def ingest(self) -> float:
        total = sum(1 for p in self.landing.rglob("*") if p.is_file()
                    and "_simulation" not in p.parts)

        def poll(stage) -> None:  # a file leaves the landing folder once recorded
            left = sum(1 for p in self.landing.rglob("*") if p.is_file()
                       and "_simulation" not in p.parts)
            stage.update(done=total - left)

        return self.timed("ingest", lambda: self.onecouncil("ingest", "--landing",
                                                            str(self.landing)),
                          total, "files", poll)

    def simulate(self, through: FiscalPeriod, scale: float, into: Path | None = None) -> None:
        self.onecouncil("simulate", "--output", str(into or self.landing), "--through",
                        str(through), "--scale", f"{scale:g}")

    def up(self) -> float:
        started = time.perf_counter()
        self.onecouncil("warehouse", "up")
        self.command([sys.executable, "-c", "from onecouncil.airflow_runner import "
                      "ensure_metadata_db; ensure_metadata_db()"])
        return time.perf_counter() - started

    def down(self) -> None:
        subprocess.run([ONECOUNCIL, "warehouse", "down"], env=self.env, capture_output=True)
        shutil.rmtree(self.path, ignore_errors=True)


@contextmanager
def fresh_home(console, log: Path, label: str):
    home = Home(console, log, label)
    try:
        setup = home.up()
        console.print(f"{label}: fresh warehouse and Airflow database ready in "
                      f"{progress.elapsed(setup)} (not counted)", highlight=False)
        yield home
    finally:
        home.down()


def year_and_dbt(console, log: Path, scale: float, with_dbt: bool = True) -> dict:
    """The whole year stage by stage, then (with_dbt) the DAG against plain dbt on its data."""
    figures: dict = {"year": {}, "load": {}}
    with fresh_home(console, log, f"x{scale:g} year") as home:
        stages = figures["year"]
        stages["simulate"] = home.timed("simulate", lambda: home.simulate(LAST, scale))
        stages["ingest"] = home.ingest()
        stages["transform"] = home.timed("transform", lambda: home.onecouncil("transform"))
        stages["monthly packs"] = home.packs("monthly", periods_through(LAST))
        stages["quarterly packs"] = home.packs("quarterly", QUARTERS)
        stages["annual packs"] = home.packs("annual", [YEAR])
        figures["load"]["year"] = os.getloadavg()[0]
        if with_dbt:
            figures["dbt"] = transform_against_dbt(home)
            figures["load"]["dbt"] = os.getloadavg()[0]
    return figures


def transform_against_dbt(home: Home) -> dict:
    """Both full builds of the same data: plain dbt (same profile and target), then the DAG."""
    done = subprocess.run([sys.executable, "-c", _DBT_ENV], env=home.env, capture_output=True,
                          text=True, check=True, cwd=REPO_ROOT)
    env = {**home.env, **json.loads(done.stdout.strip().splitlines()[-1])}
    target = home.path / "bench-dbt-target"

    def dbt(command: str, *args: str) -> list[str]:
        return [str(BIN / "dbt"), command, "--project-dir", str(REPO_ROOT / "dbt"),
                "--profiles-dir", str(REPO_ROOT / "dbt"), "--target-path", str(target), *args]

    home.command(dbt("parse"), env=env)
    # exit 1: some data tests failed (the simulated data has its planted errors), built anyway
    plain = home.timed("plain dbt build --full-refresh", lambda: home.command(
        dbt("build", "--full-refresh"), ok=(0, 1), env=env))
    dag = home.timed("transform DAG --full-refresh",
                     lambda: home.onecouncil("transform", "--full-refresh"))
    return {"plain dbt build": plain, "transform DAG": dag}


def one_more_month(console, log: Path, scale: float) -> dict:
    """P12's files arriving on a warehouse holding P01-P11: ingest, transform, P12's packs."""
    stages: dict = {}
    with fresh_home(console, log, f"x{scale:g} month") as home:
        later = home.path / "simulated-through-P12"
        home.timed(f"untimed: simulate and load {BEFORE_MONTH.label}, simulate "
                   f"{MONTH.label}", lambda: (
                       home.simulate(BEFORE_MONTH, scale), home.simulate(MONTH, scale, later),
                       home.onecouncil("ingest", "--landing", str(home.landing)),
                       home.onecouncil("transform")), 4)
        before = {f["path"] for f in _manifest(home.landing)["files"]}
        for f in _manifest(later)["files"]:
            if f["path"] not in before:  # what the council receives for the new month
                (home.landing / f["path"]).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(later / f["path"], home.landing / f["path"])
        stages["ingest"] = home.ingest()
        stages["transform"] = home.timed("transform", lambda: home.onecouncil("transform"))
        stages["monthly packs"] = home.packs("monthly", [MONTH])
        stages["load"] = os.getloadavg()[0]
    return stages


def _manifest(landing: Path) -> dict:
    return json.loads((landing / "_simulation" / "manifest.json").read_text())
