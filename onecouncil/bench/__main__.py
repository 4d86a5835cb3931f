"""The speed figures of issue 13, measured side by side in one run (`make bench`).

    python -m onecouncil.bench [--scale 1 [--scale 10]] [--figures ledger,dbt,year,month]

  ledger  the 1,000,000-row ERP ledger: the project's loader against `psql \\copy` of the
          same rows pre-cleaned (onecouncil.bench.ledger_load; scale s: s million rows);
  dbt     the transform DAG against a plain `dbt build` of the same project on the same
          data, both full builds (onecouncil.bench.year);
  year    a whole Milton Keynes-scale year, P01-P13 with year-end, every feed, from the
          simulated landing files to every pack due in the year, wall time per stage;
  month   one more month (P12) arriving on a loaded year: ingest, transform, its packs.

Each figure is printed against its goal; with more than one scale, each cost at the larger
scale against the smallest's, to show it grows no faster than the rows. Every command's
output goes to one log file (its path printed first); each scale's warehouses are fresh,
temporary, and removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from onecouncil import progress
from onecouncil.bench import year as bench_year
from onecouncil.bench.ledger_load import machine

FIGURES = ("ledger", "dbt", "year", "month")
YEAR_GOAL_SECONDS = 180.0
console = Console(width=None if sys.stdout.isatty() else 160)  # make: the table unwrapped


def ledger(rows: int, log: Path) -> dict:
    """Run the loader benchmark as its own process and read its figures from its output."""
    env = {**os.environ, "COLUMNS": "200"}  # rich's table on one line a row
    with progress.stage(console, "bench", f"ledger: {rows:,} rows (loader, psql, pandas)",
                        "commands", 1) as line, log.open("a") as out:
        out.write(f"\n$ python -m onecouncil.bench.ledger_load --rows {rows}\n")
        out.flush()
        done = subprocess.run([sys.executable, "-m", "onecouncil.bench.ledger_load",
                               "--rows", str(rows)], env=env, capture_output=True, text=True)
        out.write(done.stdout + done.stderr)
        line.update(done=1)
    if done.returncode != 0:
        raise RuntimeError(f"the ledger benchmark failed; see {log}")
    return parse_ledger(done.stdout)


def parse_ledger(text: str) -> dict:
    def seconds(label: str) -> float | None:  # its row of the report's table, not its bar
        m = re.search(re.escape(label) + r"[^│\n]*│\s*([\d.]+)\s*│", text)
        return float(m.group(1)) if m else None

    ratio = re.search(r"loader throughput / COPY = ([\d.]+)", text)
    return {"loader": seconds("loader (load_file)"), "psql": seconds("psql \\copy"),
            "pandas": seconds("pandas to_sql"), "ratio": float(ratio.group(1)) if ratio else None}


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else progress.elapsed(seconds)


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else "[green]met[/]" if ok else "[red]not met[/]"


def summary(results: dict[float, dict]) -> Table:
    table = Table(title="Issue 13's speed figures")
    for name, justify in (("figure", "left"), ("scale", "right"), ("measured", "left"),
                          ("goal", "left"), ("ratio", "right"), ("met?", "left"),
                          ("load", "right")):
        table.add_column(name, justify=justify, overflow="fold")
    for scale, r in results.items():
        x = f"{scale:g}"
        if "ledger" in r:
            led = r["ledger"]
            ratio = led["ratio"]
            ok = None if ratio is None else ratio >= 0.8
            met = verdict(ok) + (" (bar 0.5 met)" if ratio and 0.5 <= ratio < 0.8 else "")
            table.add_row("1. ledger loader vs psql \\copy", x,
                          f"loader {_s(led['loader'])}, psql {_s(led['psql'])}, "
                          f"pandas {_s(led['pandas'])} ({led['rows']:,} rows)",
                          "≥ 0.8 of COPY's rows/s (bar 0.5)",
                          "-" if ratio is None else f"{ratio:.2f}", met,
                          f"{led['load']:.1f}")
        if "dbt" in r:
            d = r["dbt"]
            ratio = d["transform DAG"] / d["plain dbt build"]
            table.add_row("2. transform DAG vs plain dbt build (both full)", x,
                          f"DAG {_s(d['transform DAG'])}, dbt {_s(d['plain dbt build'])}",
                          "within 1.3x", f"{ratio:.2f}x", verdict(ratio <= 1.3),
                          f"{r['load']['dbt']:.1f}")
        if "year" in r:
            total = sum(r["year"].values())
            mk = scale == 1  # the 3 minutes are Milton Keynes's; other scales: row 5
            table.add_row("3. whole year P01-P13, landing to every pack", x,
                          f"{_s(total)} (stages above)", "under 3 min" if mk else "-",
                          f"{total / YEAR_GOAL_SECONDS:.2f}" if mk else "-",
                          verdict(total < YEAR_GOAL_SECONDS) if mk else "-",
                          f"{r['load']['year']:.1f}")
        if "month" in r:
            m = r["month"]
            month = m["ingest"] + m["transform"] + m["monthly packs"]
            year_total = sum(r["year"].values()) if "year" in r else None
            ratio = month / year_total if year_total else None
            table.add_row("4. one more month (P12 on P01-P11)", x,
                          f"{_s(month)}: ingest {_s(m['ingest'])}, transform "
                          f"{_s(m['transform'])}, packs {_s(m['monthly packs'])}",
                          "under 10% of the year", "-" if ratio is None else f"{ratio:.2f}",
                          verdict(None if ratio is None else ratio < 0.10), f"{m['load']:.1f}")
    scales = sorted(results)
    for big in scales[1:]:
        small = scales[0]
        for figure, cost in (("ledger loader", lambda r: r["ledger"]["loader"]),
                             ("transform DAG", lambda r: r["dbt"]["transform DAG"]),
                             ("whole year", lambda r: sum(r["year"].values())),
                             ("one more month", lambda r: r["month"]["ingest"]
                              + r["month"]["transform"] + r["month"]["monthly packs"])):
            try:
                ratio = cost(results[big]) / cost(results[small])
            except (KeyError, TypeError):
                continue
            table.add_row(f"5. {figure}: scale {big:g} against {small:g}", f"{big:g}",
                          f"{_s(cost(results[big]))} against {_s(cost(results[small]))}",
                          f"at most {big / small:g}x (linear in rows)", f"{ratio:.2f}x",
                          verdict(ratio <= big / small), "")
    return table


def stages_table(results: dict[float, dict]) -> Table:
    table = Table(title="Whole year, seconds per stage")
    table.add_column("stage")
    scales = [s for s in results if "year" in results[s]]
    for s in scales:
        table.add_column(f"scale {s:g}", justify="right")
    for stage in bench_year.YEAR_STAGES:
        table.add_row(stage, *(f"{results[s]['year'][stage]:.1f}" for s in scales))
    table.add_row("total", *(f"{sum(results[s]['year'].values()):.1f}" for s in scales))
    return table


def one_scale(scale: float, figures: list[str], rows: int, log: Path, results: dict,
              failed: list[str]) -> None:
    """The figures at one scale into results[scale]; a figure that fails is said and left
    out, the others still measured; the figures so far saved beside the log after each."""
    r = results[scale]
    wanted = [("ledger", lambda: {"ledger": {**ledger(rows, log), "rows": rows,
                                             "load": os.getloadavg()[0]}})]
    if "year" in figures or "dbt" in figures:
        wanted.append(("year and dbt", lambda: bench_year.year_and_dbt(
            console, log, scale, with_dbt="dbt" in figures)))
    wanted.append(("month", lambda: {"month": bench_year.one_more_month(console, log, scale)}))
    for what, work in wanted:
        if what != "year and dbt" and what not in figures:
            continue
        try:
            got = work()
        except Exception as e:  # noqa: BLE001 - said here and at the end, with the log
            failed.append(f"{what} at scale {scale:g}: {e}")
            console.print(f"[red]{what} at scale {scale:g} failed[/]: {e}", soft_wrap=True)
            continue
        r["load"].update(got.pop("load", {}))
        r.update({k: v for k, v in got.items() if k in figures})
        log.with_suffix(".json").write_text(json.dumps(
            {str(k): v for k, v in results.items()}, indent=1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m onecouncil.bench",
                                     description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("--scale", type=float, action="append",
                        help="row volumes relative to Milton Keynes, repeatable (default 1)")
    parser.add_argument("--figures", default=",".join(FIGURES),
                        help=f"which figures, comma-separated (default {','.join(FIGURES)})")
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="ledger rows at scale 1 (default 1000000)")
    parser.add_argument("--log", type=Path, help="log file (default a new one in /tmp)")
    args = parser.parse_args(argv)
    figures = [f.strip() for f in args.figures.split(",") if f.strip()]
    unknown = sorted(set(figures) - set(FIGURES))
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    scales = sorted(set(args.scale or [1.0]))
    if any(s <= 0 for s in scales):
        parser.error("--scale must be positive")
    log = args.log or Path(f"/tmp/onecouncil-bench-{time.strftime('%Y%m%d-%H%M%S')}.log")
    about = machine()
    console.print(f"machine: {about['nproc']} cores, {about['cpu']}, RAM {about['ram']}, "
                  f"Python {about['python']}; load average {os.getloadavg()[0]:.1f}; "
                  f"every command's output in {log}", soft_wrap=True, highlight=False)
    results: dict[float, dict] = {}
    failed: list[str] = []
    for scale in scales:
        results[scale] = {"load": {}}
        one_scale(scale, figures, round(args.rows * scale), log, results, failed)
    console.print(f"figures also in {log.with_suffix('.json')}", highlight=False)
    if any("year" in r for r in results.values()):
        console.print(stages_table(results))
    console.print(summary(results))
    if failed:
        console.print("not measured: " + "; ".join(failed), soft_wrap=True)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
