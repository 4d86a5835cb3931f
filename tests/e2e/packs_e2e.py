"""What the end-to-end pack tests share: the simulated files, the CLI, a fresh warehouse,
what a reader sees of a pack, and the check of a quarter run with only some feeds.

See conftest.py for why they are three modules.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from leaks import page_text

from onecouncil.calendar import FiscalPeriod

ONECOUNCIL = str(Path(sys.executable).with_name("onecouncil"))
PERIOD, QUARTER, YEAR = "2025-26-P03", "2025-26-Q1", "2025-26"
FOLDERS = {"monthly": "P03", "quarterly": "Q1", "annual": "year"}
NOT_YET = "not yet available"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([ONECOUNCIL, *args], env=dict(os.environ), capture_output=True,
                          text=True, timeout=900)


def fresh_warehouse() -> None:
    """Empty ops and raw, and drop the incremental mart, so only this run's files count."""
    from onecouncil.feeds import FEEDS
    from onecouncil.warehouse import connect

    with connect(autocommit=True) as c:
        tables = ["ops.check_results", "ops.quarantine", "ops.files", "ops.runs"]
        tables += [f"raw.{f.table}" for f in FEEDS]
        c.execute(f"truncate {', '.join(tables)} restart identity cascade")
        c.execute("drop table if exists marts.contact_daily cascade")


def subset(landing: Path, to: Path, folders: tuple[str, ...]) -> Path:
    for folder in folders:
        shutil.copytree(landing / folder, to / folder)
    return to


def simulate_files(tmp_path_factory) -> Path:
    """The simulated files, kept aside: ingestion moves what it loads out of landing."""
    from onecouncil.simulate import simulate

    root = tmp_path_factory.mktemp("packs-e2e")
    simulate(root / "simulated", FiscalPeriod.parse(PERIOD), scale=0.03, seed=11)
    return root


def visible_text(path: Path) -> str:
    """What a reader sees: the HTML's text, a CSV as it is, the PDF's text if we can."""
    data = path.read_text(encoding="utf-8", errors="replace") if path.suffix != ".pdf" else ""
    if path.suffix == ".html":
        data = page_text(data)
    if path.suffix == ".pdf":
        if not shutil.which("pdftotext"):
            return ""
        data = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                              text=True).stdout
    return data


def check_a_quarter_with_some_feeds(simulated: Path, tmp_path: Path, folders: tuple[str, ...],
                                    incomplete: tuple[str, ...]) -> None:
    """`onecouncil run --quarter` over only `folders`' files succeeds quickly and renders
    every quarterly pack; those in `incomplete` say what they are waiting for."""
    fresh_warehouse()
    landing = subset(simulated / "simulated", tmp_path / "landing", folders)
    started = time.monotonic()
    done = run_cli("run", "--landing", str(landing), "--quarter", QUARTER,
                   "--output", str(tmp_path / "packs"))
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # no retry delay: a five-minute sleep would show here (the run takes 2.5-4 minutes,
    # the longer while make test's other worker runs beside it)
    assert elapsed < 400, f"the run took {elapsed:.0f}s"
    from onecouncil.packs.declarations import QUARTERLY, of_cadence

    folder = tmp_path / "packs" / "2025-26" / "Q1"
    for declaration in of_cadence(QUARTERLY):
        page = visible_text(folder / f"{declaration.name}.html")
        doc = json.loads((folder / f"{declaration.name}.json").read_text())
        if declaration.name not in incomplete:
            continue
        assert NOT_YET in page.lower(), f"{declaration.name} says nothing is missing"
        waits = re.findall(r'"waiting_for": \[([^\]]*)\]', json.dumps(doc["figures"]))
        named = {f for w in waits for f in re.findall(r'"([a-z]+/[a-z_]+)"', w)}
        assert named, f"{declaration.name} does not name the feeds it waits for"
        assert not any(f.split("/")[0] in folders for f in named), \
            f"{declaration.name} waits for a feed that was loaded: {sorted(named)}"
