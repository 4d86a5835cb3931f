"""How long do the transform DAG and each pack take, at Milton Keynes scale and ten times it?

    python -m onecouncil.bench.transform_packs [--scale 1 --scale 10] [--through 2025-26-P06]

For each scale, in a fresh temporary ONECOUNCIL_HOME with its own embedded
warehouse: simulate the year's files through the period, ingest them (the
ingest_landing DAG), then time the transform DAG (dbt build + dbt and GX checks,
in-process through Airflow) and rendering each pack for each period (HTML, PDF,
JSON and XLSX/CSV, straight through onecouncil.packs.render_pack). Prints a table.
The servers are stopped and the homes removed at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

console = Console()
ONECOUNCIL = str(Path(sys.executable).with_name("onecouncil"))


def _timed(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run([ONECOUNCIL, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"`onecouncil {' '.join(args)}` failed:\n{done.stdout[-3000:]}"
                         f"\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def measure(scale: float, through: str) -> dict:
    from onecouncil.calendar import FiscalPeriod, periods_through

    home = Path(tempfile.mkdtemp(prefix=f"onecouncil-bench-x{scale:g}-"))
    env = {**os.environ, "ONECOUNCIL_HOME": str(home)}
    env.pop("ONECOUNCIL_DATABASE_URL", None)
    landing = home / "landing"
    try:
        figures = {"scale": scale}
        figures["simulate"] = _timed(["simulate", "--output", str(landing), "--through", through,
                                      "--scale", str(scale)], env)
        figures["ingest DAG"] = _timed(["ingest", "--landing", str(landing)], env)
        # `run` without --landing: the transform DAG, then the pack DAG for one period
        periods = periods_through(FiscalPeriod.parse(through))
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _RENDER, ",".join(str(p) for p in periods)],
            env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(done.stdout[-3000:] + done.stderr[-3000:])
        figures.update({k: float(v) for k, v in
                        (line.split()[1].split("=") for line in done.stdout.splitlines()
                         if line.startswith("BENCH "))})
        figures["transform + all packs"] = time.perf_counter() - started
        return figures
    finally:
        subprocess.run([ONECOUNCIL, "warehouse", "down"], env=env, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


_RENDER = """
import sys, time
from onecouncil.airflow_runner import run_dag_in_process
from onecouncil.packs import render_pack
from onecouncil.quality.results import latest_verdict
from onecouncil.warehouse import connect
from onecouncil import settings
t = time.perf_counter()
run_id, state = run_dag_in_process("transform.py", "transform", {}, echo=lambda *a: None)
assert state == "success", state
print(f"BENCH transform_DAG={time.perf_counter() - t:.2f}")
out = settings.load().output
with connect(autocommit=True) as conn:
    verdict = latest_verdict(conn)
    for pack in ("finance-outturn", "transparency-spend"):
        t = time.perf_counter()
        periods = sys.argv[1].split(",")
        for p in periods:
            year, label = p.rsplit("-", 1)
            render_pack(conn, pack, year, label, out, verdict)
        print(f"BENCH {pack}_per_period={(time.perf_counter() - t) / len(periods):.2f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, action="append",
                        help="row volumes relative to Milton Keynes (repeatable; default 1 and 10)")
    parser.add_argument("--through", default="2025-26-P06", help="last simulated period")
    args = parser.parse_args()
    rows = []
    for scale in args.scale or [1.0, 10.0]:
        console.print(f"measuring scale {scale:g} (simulate, ingest, transform, packs)...")
        rows.append(measure(scale, args.through))
    table = Table(title=f"Transform and packs through {args.through} "
                  f"({os.cpu_count()} cores, {platform.processor() or platform.machine()})")
    keys = [k for k in rows[0] if k != "scale"]
    table.add_column("step")
    for r in rows:
        table.add_column(f"scale {r['scale']:g} (s)", justify="right")
    for k in keys:
        table.add_row(k.replace("_", " "), *(f"{r[k]:.1f}" for r in rows))
    console.print(table)


if __name__ == "__main__":
    main()
