"""The simulation manifest: what was written, in what order it arrives, what should happen.

`<output>/_simulation/manifest.json` lists every landing file with its arrival
order and what the ingestion is expected to make of it (loaded, refused or
duplicate, and the row counts), so an end-to-end test can hold the pipeline to
it. Each file's mtime is set to its simulated arrival, so "ascending mtime, then
path" gives the same order as `arrival_order`.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from pathlib import Path

from onecouncil.calendar import FiscalPeriod
from onecouncil.simulate._common import COUNCIL_NAME, Landing, LandingFile, london_to_epoch

FOLDER = "_simulation"
NAME = "manifest.json"


def manifest_path(output: Path) -> Path:
    return output / FOLDER / NAME


def ordered(files: list[LandingFile]) -> list[LandingFile]:
    return sorted(files, key=lambda f: (f.arrived_at, f.path))


def build(landing: Landing, through: FiscalPeriod, scale: float, seed: int,
          facts: dict) -> dict:
    files = ordered(landing.files)
    entries = []
    for n, f in enumerate(files, 1):
        entry = OrderedDict(
            feed=f.feed, path=f.path, arrival_order=n,
            arrived_at=f.arrived_at.isoformat(timespec="seconds"),
            expected_outcome=f.expected_outcome, rows_read=f.rows_read,
            rows_loaded=f.rows_loaded, rows_quarantined=f.rows_quarantined, note=f.note,
            sha256=f.sha256,
        )
        if f.quarantine:
            entry["quarantine"] = f.quarantine
        if f.extra:
            entry.update(f.extra)
        entries.append(entry)
    summary: dict[str, dict[str, int]] = {}
    for f in files:
        s = summary.setdefault(f.feed, {"files": 0, "loaded": 0, "refused": 0, "duplicate": 0,
                                        "rows_read": 0, "rows_loaded": 0,
                                        "rows_quarantined": 0})
        s["files"] += 1
        s[f.expected_outcome] += 1
        s["rows_read"] += f.rows_read
        s["rows_loaded"] += f.rows_loaded
        s["rows_quarantined"] += f.rows_quarantined
    return OrderedDict(
        generator="onecouncil.simulate", council=COUNCIL_NAME, through=str(through),
        scale=scale, seed=seed,
        line_numbers=("quarantine[].line is the 1-based line of the file on which the row "
                      "starts, counting title and header rows and new lines inside quoted "
                      "fields (for XLSX, the worksheet row)"),
        facts=facts, summary=dict(sorted(summary.items())), files=entries,
    )


def write(output: Path, manifest: dict, landing: Landing) -> Path:
    """Write the manifest and set every landing file's mtime to its arrival."""
    for f in landing.files:
        t = london_to_epoch(f.arrived_at)
        os.utime(output / f.path, (t, t))
    path = manifest_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def remove_previous(output: Path) -> int:
    """Delete the files an earlier simulation wrote here (as its manifest lists them)."""
    path = manifest_path(output)
    if not path.exists():
        return 0
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    root = output.resolve()
    removed = 0
    for entry in old.get("files", []):
        rel = entry.get("path")
        if not rel:
            continue
        target = (output / rel).resolve()
        if root in target.parents and target.is_file():
            target.unlink()
            removed += 1
    path.unlink()
    return removed
