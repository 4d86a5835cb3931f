"""The `onecouncil` command: warehouse, simulate, ingest, airflow and demo."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from onecouncil import settings as _settings
from onecouncil.feeds.commands import feeds_app
from onecouncil.notify.commands import alerts_app
from datetime import UTC

class _App(typer.Typer):
    """The command, ending with one line (not a traceback) when the warehouse is gone."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except Exception as e:
            from onecouncil.feeds.council import FeedsFileError
            from onecouncil.warehouse.lost import explain

            message = str(e) if isinstance(e, FeedsFileError) else explain(e)
            if message is None:
                raise
            Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {message}")
            sys.exit(2)


app = _App(
    help="onecouncil: a reporting warehouse for UK councils. State lives under "
         "$ONECOUNCIL_HOME (default ./.onecouncil); set ONECOUNCIL_DATABASE_URL to use "
         "your own PostgreSQL instead of the embedded one.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_show_locals=False)
warehouse_app = typer.Typer(help="Start, stop and describe the warehouse server.",
                            no_args_is_help=True)
app.add_typer(warehouse_app, name="warehouse")
app.add_typer(feeds_app, name="feeds")
app.add_typer(alerts_app, name="alerts")
console = Console(width=None if sys.stdout.isatty() else 120)
err = Console(stderr=True, soft_wrap=True)


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


@warehouse_app.command("up")
def warehouse_up() -> None:
    """Start the embedded PostgreSQL (or check the configured one) and create its databases.

    On a configured server, the warehouse roles get their passwords from
    ONECOUNCIL_LOADER_PASSWORD, ONECOUNCIL_TRANSFORMER_PASSWORD and ONECOUNCIL_READER_PASSWORD.
    """
    from onecouncil.warehouse import server
    from onecouncil.warehouse.server import WarehouseError

    try:
        url = server().up()
    except WarehouseError as e:
        _fail(str(e))
    console.print(f"warehouse is up: {url}")


@warehouse_app.command("down")
def warehouse_down() -> None:
    """Stop the embedded PostgreSQL. A configured server is never stopped."""
    from onecouncil.warehouse import server

    srv = server()
    if not srv.embedded:
        console.print("a configured server (ONECOUNCIL_DATABASE_URL) is left running")
    elif srv.down():
        console.print("warehouse stopped")
    else:
        console.print("warehouse was not running")


@warehouse_app.command("status")
def warehouse_status() -> None:
    """Say whether the warehouse runs, where its data is and its version."""
    from onecouncil.warehouse import server

    about = server().describe()
    for key, value in about.items():
        console.print(f"{key:>8}: {value}")
    if about["state"] != "running":
        raise typer.Exit(3)


@warehouse_app.command("url")
def warehouse_url(
    role: str | None = typer.Option(
        None, "--role", metavar="reader|loader|transformer",
        help="The URL of one of the components' roles instead of the owner's: reader "
             "(marts only, read only: for Power BI and analysts), loader (ingest) or "
             "transformer (dbt, checks, packs). On a configured server (ONECOUNCIL_DATABASE_URL) "
             "the role's password comes from ONECOUNCIL_READER_PASSWORD, "
             "ONECOUNCIL_LOADER_PASSWORD or ONECOUNCIL_TRANSFORMER_PASSWORD."),
) -> None:
    """Print a libpq URL of the warehouse database (psql "$(onecouncil warehouse url)")."""
    from onecouncil.warehouse import connect, server
    from onecouncil.warehouse.roles import ROLES
    from onecouncil.warehouse.server import WarehouseError

    if role is not None and role not in ROLES:
        _fail(f"--role must be one of {', '.join(ROLES)}, not {role!r}", 2)
    try:
        if role is not None:
            from onecouncil.warehouse.schema import migrate

            with connect(autocommit=True) as conn:  # the roles exist before anyone uses one
                migrate(conn)
        print(server().url(role=role))
    except WarehouseError as e:
        _fail(str(e))


@app.command()
def simulate(
    output: Path = typer.Option(..., "--output", help="Landing folder to write the files into."),
    through: str = typer.Option("2025-26-P06",
                                help="Last fiscal period to simulate, e.g. 2025-26-P06."),
    scale: float = typer.Option(1.0,
                                help="Row volumes relative to Milton Keynes (10 = ten times)."),
    seed: int = typer.Option(7, help="Random seed; the same seed writes the same bytes."),
) -> None:
    """Write realistic, seeded landing files for every feed in contracts/sources.md."""
    from onecouncil.calendar import FiscalPeriod
    from onecouncil.simulate import simulate as run

    try:
        last = FiscalPeriod.parse(through)
    except ValueError as e:
        _fail(str(e))
    started = time.monotonic()
    with console.status("simulating...") as status:
        manifest = run(output, last, scale=scale, seed=seed,
                       progress=lambda text: status.update(f"simulating {text}"))
    files = manifest["files"]
    rows = sum(f["rows_read"] for f in files)
    console.print(f"wrote {len(files)} files ({rows:,} rows) for {last} into {output} "
                  f"in {time.monotonic() - started:.1f}s; manifest: "
                  f"{output / '_simulation' / 'manifest.json'}")


def print_run(run_id: str, all_files: bool = False) -> None:
    from onecouncil.ingest.summary import feed_summary, file_outcomes
    from onecouncil.warehouse import connect

    with connect() as conn:
        feeds = feed_summary(conn, run_id)
        files = file_outcomes(conn, run_id)
    table = Table(title=f"Ingestion run {run_id}", caption="rows loaded: into raw; rows "
                  "quarantined: set aside in ops.quarantine with file, line and reason, listed "
                  "by `onecouncil feeds quarantine FEED`")
    for name, justify in [("feed", "left"), ("files loaded", "right"), ("refused", "right"),
                          ("duplicate", "right"), ("rows loaded", "right"),
                          ("rows quarantined", "right")]:
        table.add_column(name, justify=justify)
    totals = [0] * 5
    for f in feeds:
        numbers = [f["files_loaded"], f["files_refused"], f["files_duplicate"], f["rows_loaded"],
                   f["rows_quarantined"]]
        totals = [a + b for a, b in zip(totals, numbers)]
        table.add_row(f["feed"], *(f"{n:,}" for n in numbers))
    table.add_section()
    table.add_row("all feeds", *(f"{n:,}" for n in totals), style="bold")
    console.print(table)
    if all_files:
        detail = Table(title="Every file")
        for name in ("feed", "file", "outcome", "read", "loaded", "quarantined", "reason"):
            detail.add_column(name, overflow="fold")
        for f in files:
            detail.add_row(f["feed"], f["file_name"], f["outcome"], str(f["rows_read"]),
                           str(f["rows_loaded"]), str(f["rows_quarantined"]), f["reason"] or "")
        console.print(detail)
    elif any(f["outcome"] != "loaded" for f in files):
        # A file's quarantined rows are counted per feed above; the command lists them.
        detail = Table(title="Files refused or duplicated")
        for name in ("feed", "file", "outcome", "reason"):
            detail.add_column(name, overflow="fold")
        for f in files:
            if f["outcome"] != "loaded":
                detail.add_row(f["feed"], f["file_name"], f["outcome"], f["reason"] or "")
        console.print(detail)
    if not files:
        console.print("no new files: nothing to load")


@contextmanager
def _logged(name: str):
    """Send the logs of what runs in this process (Airflow's tasks, dbt, Great
    Expectations, WeasyPrint) to a file under $ONECOUNCIL_HOME/logs/runs, and say where
    once; this command's own lines still print here."""
    from onecouncil import run_log

    opened = run_log.current() is None
    with run_log.into(_settings.load().logs, name, consoles=[console, err]) as path:
        if opened:
            console.print(f"logs (Airflow's tasks, dbt, Great Expectations, WeasyPrint): {path}",
                          soft_wrap=True, highlight=False)
        yield path


def _run_failed(what: str, state: str) -> None:
    """A DAG run that did not succeed: the end of its log, and where the rest is."""
    from onecouncil import run_log

    settings = _settings.load()
    for line in run_log.errors():
        err.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
    where = run_log.current() or run_log.last() or settings.logs
    _fail(f"the {what} DAG run ended {state}; its last errors are above, its whole log is "
          f"{where}; or run `onecouncil airflow standalone` to see it in Airflow", code=2)


@app.command()
def ingest(
    landing: Path = typer.Option(None, "--landing",
                                 help="Landing folder (default $ONECOUNCIL_HOME/landing)."),
    all_files: bool = typer.Option(False, "--all-files", help="List every file with its "
                                   "rows read, loaded and quarantined, not only those refused "
                                   "or duplicated."),
) -> None:
    """Run the ingestion DAG (ingest_landing) in-process over a landing folder.

    Exits 0 when the run worked, even if files were refused (refusals are data,
    listed in the table); non-zero when the pipeline itself failed. What is not a
    feed file (a symbolic link, another file type, a file outside a feed's folder)
    is listed as refused and left where it is; a file changed in the last minute
    (ONECOUNCIL_SETTLE_SECONDS) waits for the next run.
    """
    from onecouncil.airflow_runner import run_dag_in_process
    from onecouncil.feeds.council import load as council_words

    council_words()  # a bad feeds file (ONECOUNCIL_FEEDS_FILE) stops here, saying why
    settings = _settings.load()
    landing = (landing or settings.landing).expanduser().resolve()
    if not landing.is_dir():
        _fail(f"landing folder {landing} does not exist; create it or pass --landing DIR")
    from datetime import datetime

    from onecouncil import progress, stages

    started = time.monotonic()
    with _logged("ingest"), progress.stage(
            console, "ingest", "ingest", "files", stages.landed_files(landing),
            poll=stages.ingest_poll(datetime.now(UTC))):
        run_id, state = run_dag_in_process("ingest_landing.py", "ingest_landing",
                                           {"landing": str(landing)}, settings,
                                           echo=console.print)
    print_run(run_id, all_files)
    console.print(f"DAG run {run_id}: {state} in {time.monotonic() - started:.1f}s")
    if state != "success":
        _run_failed("ingest_landing", state)


def _run_dag(dag_file: str, dag_id: str, conf: dict, what: str) -> str:
    from onecouncil.airflow_runner import run_dag_in_process

    from onecouncil import progress

    settings = _settings.load()
    started = time.monotonic()
    # dbt's callback (transform.dbt) counts the nodes built into the stage "dbt"
    with _logged(dag_id), progress.stage(console, "dbt", dag_id, "dbt nodes built"):
        run_id, state = run_dag_in_process(dag_file, dag_id, conf, settings, echo=console.print)
    console.print(f"DAG {dag_id} run {run_id}: {state} in {time.monotonic() - started:.1f}s")
    if state != "success":
        _run_failed(dag_id, state)
    return run_id


def _print_verdict() -> None:
    from onecouncil.quality.results import latest_verdict
    from onecouncil.warehouse import connect

    with connect() as conn:
        verdict = latest_verdict(conn)
    console.print(f"data checks: {verdict.passed} passed, {len(verdict.warnings)} warned, "
                  f"{len(verdict.blocking_failures)} blocking failed")
    for r in verdict.blocking_failures[:10]:
        console.print(f"  blocking: {r.check_name} ({r.relation}): {r.message or r.status}",
                      soft_wrap=True)
    if not verdict.is_final:
        console.print("[bold]packs will be marked DRAFT - data checks failed[/bold]")


FULL_REFRESH_HELP = ("Rebuild every model (dbt build --full-refresh) and run every data "
                     "check, not only what changed since the last successful transform.")


@app.command("transform")
def transform(full_refresh: bool = typer.Option(False, "--full-refresh",
                                                help=FULL_REFRESH_HELP)) -> None:
    """Run the transform DAG: rebuild the models downstream of the feeds that loaded a file
    since the last successful transform and those changed in the dbt project (everything
    the first time, or with --full-refresh), run their checks (the unit tests only when
    the dbt project changed: they never read the loaded data), carry the other checks'
    results forward, and say what the checks decided."""
    # called as a function (demo, run) the default is typer's OptionInfo, not False
    _run_dag("transform.py", "transform", {"full_refresh": full_refresh is True},
             "dbt build and data checks")
    _print_verdict()


def render_packs(periods: list, quarters: list, output: Path | None, years: list = (),
                 approve_as: str | None = None) -> None:
    """Run the pack DAG of each cadence (monthly_packs, quarterly_packs, annual_packs) for
    these periods, quarters and years up to sign-off; list the packs written. With
    `approve_as` (the demo) every pack put up for sign-off is approved by that name and the
    public ones published; without it the runs stop, awaiting sign-off."""
    from onecouncil import progress, stages
    from onecouncil.packs.declarations import ANNUAL, MONTHLY, QUARTERLY, of_cadence
    from onecouncil.signoff.inprocess import run_until_signoff

    settings = _settings.load()
    out = str(output) if output else None
    wanted = [(MONTHLY, list(periods)), (QUARTERLY, list(quarters)), (ANNUAL, list(years))]
    root = (output or settings.output).expanduser().resolve()
    packs = [(when, root / str(when.year) / when.label, declaration.name)
             for cadence, items in wanted for when in items for declaration in of_cadence(cadence)]
    awaiting = False
    with _logged("packs"), progress.stage(console, "packs", "packs", "rendered", len(packs),
                                          poll=stages.packs_poll([p[1:] for p in packs],
                                                                 time.time())):
        for cadence, items in wanted:
            if not items:
                continue
            conf = {cadence.param: ",".join(map(str, items)), "output": out}
            started = time.monotonic()
            run_id, state = run_until_signoff(
                "packs.py", cadence.dag_id, conf, settings, echo=console.print,
                on_waiting=_approve_all(approve_as, root) if approve_as else None)
            console.print(f"DAG {cadence.dag_id} run {run_id}: {state} in "
                          f"{time.monotonic() - started:.1f}s")
            if state not in ("success", "awaiting sign-off"):
                _run_failed(cadence.dag_id, state)
            awaiting = awaiting or state == "awaiting sign-off"
    table = Table(title=f"Packs written under {root}")
    for name in ("period", "pack", "formats"):
        table.add_column(name, overflow="fold")
    for when, folder, name in packs:
        formats = sorted(f.suffix.lstrip(".") for f in folder.glob(f"{name}.*"))
        table.add_row(str(when), name, ", ".join(formats) if formats else "not written")
    console.print(table)
    if awaiting:
        console.print("[bold]The packs are awaiting sign-off[/bold] (a pack is Final only once "
                      "its approver signs it off). See what waits with `onecouncil signoff "
                      "list`; approve with `onecouncil signoff approve PACK PERIOD --by NAME` "
                      "or reject with `onecouncil signoff reject PACK PERIOD --by NAME "
                      "--reason TEXT` (or in Airflow's UI, Required actions).")
    if approve_as:
        _print_published(settings)


def _approve_all(name: str, root: Path):
    """The demo's sign-off: approve every waiting pack of a run as `name`, and say so.

    The packs are stamped Final side by side first (packs.parallel.restamp_each), at the
    time the answers then carry: each approval task, resumed, finds its pack already Final
    at that version and only records the decision (signoff.decide.approve), instead of
    the tasks laying out one PDF after another as dag.test() runs them. A pack that could
    not be stamped is left to its task, which says why."""
    def approve(run_id: str) -> None:
        from airflow._shared.timezones import timezone
        from airflow.settings import Session

        from onecouncil import calendar
        from onecouncil.packs.output import pack_dir
        from onecouncil.packs.parallel import restamp_each
        from onecouncil.signoff import waiting as db
        from onecouncil.signoff import REASON, SIGNED_OFF_BY

        session = Session()
        try:
            mine = [w for w in db.waiting(session) if w.run_id == run_id]
            at = timezone.utcnow().replace(microsecond=0)
            restamp_each([(pack_dir(root, calendar.parse(w.period)), w.pack) for w in mine],
                         by=name, at=at)
            for w in mine:
                db.answer(session, w, approve=True, by=name,
                          values={SIGNED_OFF_BY: name, REASON: None}, at=at)
                console.print(f"approved {w.pack} {w.period} as {name!r}")
        finally:
            session.close()

    return approve


def _print_published(settings) -> None:
    from onecouncil.publish.site import published_root, read_index

    root = published_root(settings)
    publications = read_index(root)["publications"]
    table = Table(title=f"Published under {root}")
    for name in ("period", "pack", "version", "formats", "published", "signed off by"):
        table.add_column(name, overflow="fold")
    for p in publications:
        table.add_row(p["period"], p["pack"], str(p["version"]),
                      ", ".join(f["format"] for f in p["files"]), p["published_on"],
                      p["signed_off_by"] or "")
    console.print(table)
    console.print(f"published site: {root / 'index.html'} ({len(publications)} publications; "
                  f"every file's sha256 in {root / 'index.json'})")


@app.command()
def run(
    period: str = typer.Option(None, "--period", help="Fiscal period, e.g. 2025-26-P06: "
                               "the monthly packs."),
    quarter: str = typer.Option(None, "--quarter", help="Fiscal quarter, e.g. 2025-26-Q2: "
                                "the quarterly packs."),
    year: str = typer.Option(None, "--year", help="Fiscal year, e.g. 2025-26: the year-end "
                             "summary."),
    landing: Path = typer.Option(None, "--landing",
                                 help="Landing folder to ingest first (default: skip ingestion)."),
    output: Path = typer.Option(None, "--output",
                                help="Pack folder (default $ONECOUNCIL_HOME/output)."),
    full_refresh: bool = typer.Option(False, "--full-refresh", help=FULL_REFRESH_HELP),
) -> None:
    """Ingest (optional), transform and check, then render the packs of a period, quarter
    or year. The transform rebuilds only what changed since the last successful one
    unless --full-refresh.

    Runs the ingest_landing, transform and pack DAGs (monthly_packs for --period,
    quarterly_packs for --quarter, annual_packs for --year) in-process, through
    Airflow, and prints where the packs are. A section whose data has not arrived says
    it is not yet available and which feed it waits for; a pack whose blocking data
    checks failed is written marked DRAFT - data checks failed. A failing task fails
    the run at once (no retry delay in-process).

    Every other pack is written `Awaiting sign-off` and the run stops there: nothing is
    Final or published until the pack's approver approves it (`onecouncil signoff`).
    """
    from onecouncil.calendar import FiscalPeriod, FiscalQuarter, FiscalYear

    if not (period or quarter or year):
        _fail("say which packs: --period 2025-26-P06 (monthly), --quarter 2025-26-Q2 "
              "(quarterly) or --year 2025-26 (year-end), or several")
    try:
        periods = [FiscalPeriod.parse(period)] if period else []
        quarters = [FiscalQuarter.parse(quarter)] if quarter else []
        years = [FiscalYear.parse(year)] if year else []
    except ValueError as e:
        _fail(str(e))
    if landing is not None:
        ingest(landing=landing, all_files=False)
    transform(full_refresh=full_refresh)
    render_packs(periods, quarters, output, years)


signoff_app = typer.Typer(
    help="Sign off packs: no pack is Final until its approver approves it. Approving stamps "
         "the pack Final with the approver's name and time and publishes a public pack into "
         "$ONECOUNCIL_HOME/published (a new version beside the old for a restated period; "
         "restricted packs are never published); rejecting records the reason, keeps it "
         "unpublished and tells the data team. Works through the running service's Airflow "
         "API when ONECOUNCIL_AIRFLOW_API_URL is set (token from ONECOUNCIL_AIRFLOW_API_TOKEN "
         "or ONECOUNCIL_AIRFLOW_USER/_PASSWORD), else directly on Airflow's metadata database.",
    no_args_is_help=True)
app.add_typer(signoff_app, name="signoff")


@signoff_app.command("list")
def signoff_list() -> None:
    """List the packs waiting for sign-off: pack, period, since when, which DAG run."""
    from onecouncil.signoff.commands import waiting

    found = waiting(_settings.load())
    if not found:
        console.print("no pack is waiting for sign-off")
        return
    table = Table(title="Waiting for sign-off")
    for name in ("pack", "period", "asked at", "DAG run", "what"):
        table.add_column(name, overflow="fold", no_wrap=name in ("pack", "period"))
    for w in found:
        table.add_row(w.pack, w.period, str(w.asked_at)[:19], f"{w.dag_id} {w.run_id}",
                      w.subject)
    console.print(table)


def _decide(pack: str, period: str, approve: bool, by: str, reason: str | None) -> None:
    from onecouncil.signoff.commands import decide
    from onecouncil.signoff.waiting import NotWaiting

    try:
        done = decide(_settings.load(), pack, period, approve=approve, by=by, reason=reason)
    except (NotWaiting, RuntimeError) as e:
        _fail(str(e))
    verb = "approved" if approve else "rejected"
    console.print(f"{pack} {period} {verb} by {by} through {done['via']}; DAG run "
                  f"{done['dag_id']} {done['run_id']}: {done['state']}")


@signoff_app.command("approve")
def signoff_approve(
    pack: str = typer.Argument(..., help="The pack, e.g. cabinet-quarterly."),
    period: str = typer.Argument(..., help="Its period, quarter or year, e.g. 2025-26-Q2."),
    by: str = typer.Option(..., "--by", help="Who signs it off, as the pack will name them."),
) -> None:
    """Approve a waiting pack: stamp it Final (name and time) and publish it if public."""
    _decide(pack, period, True, by, None)


@signoff_app.command("reject")
def signoff_reject(
    pack: str = typer.Argument(..., help="The pack, e.g. cabinet-quarterly."),
    period: str = typer.Argument(..., help="Its period, quarter or year, e.g. 2025-26-Q2."),
    by: str = typer.Option(..., "--by", help="Who rejects it."),
    reason: str = typer.Option(..., "--reason", help="Why it cannot go out; recorded, and "
                               "sent to the data team."),
) -> None:
    """Reject a waiting pack: it stays unpublished; the reason is recorded and sent on."""
    if not reason.strip():
        _fail("say why with --reason TEXT")
    _decide(pack, period, False, by, reason)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True,
                               "help_option_names": []})
def airflow(ctx: typer.Context) -> None:
    """The `airflow` CLI with the project's environment (e.g. `onecouncil airflow standalone`)."""
    from onecouncil.airflow_runner import _airflow_bin, airflow_env, ensure_metadata_db
    from onecouncil.warehouse import server

    server().up()
    ensure_metadata_db(echo=console.print)
    binary = _airflow_bin()
    # `airflow standalone` starts its components as `airflow ...` found on PATH.
    path = os.pathsep.join([str(Path(binary).parent), os.environ.get("PATH", "")])
    env = {**os.environ, **airflow_env(), "PATH": path}
    os.execve(binary, [binary, *ctx.args], env)


service_app = typer.Typer(
    help="Run the pipeline as the council's service: Airflow's scheduler, DAG processor, "
         "triggerer and API server (the UI) in the background, files picked up from the "
         "landing folder as they arrive.", no_args_is_help=True)
app.add_typer(service_app, name="service")


@service_app.command("up")
def service_up() -> None:
    """Start the service (a second `up` starts nothing) and wait until it is healthy."""
    from onecouncil import service
    from onecouncil.warehouse.server import WarehouseError

    try:
        with console.status("starting the service (Airflow's first start takes a minute) ..."):
            service.up(echo=console.print)
    except (service.ServiceError, WarehouseError) as e:
        _fail(f"{e}\nstop what started with `onecouncil service down`")
    service_status()


@service_app.command("down")
def service_down() -> None:
    """Stop every process of the service, executor workers included; wait until its port
    is free."""
    from onecouncil import service

    try:
        with console.status("stopping the service ..."):
            stopped = service.down()
    except service.ServiceError as e:
        _fail(str(e))
    console.print(f"stopped {', '.join(stopped)}" if stopped else "the service was not running")


@service_app.command("status")
def service_status() -> None:
    """Say what runs and since when, the UI's address and login file, and the landing
    folder the service reads. Exits 3 when nothing runs."""
    from zoneinfo import ZoneInfo

    from onecouncil import service

    try:
        about = service.status()
    except service.ServiceError as e:
        _fail(str(e))
    table = Table(title="onecouncil service")
    for name in ("component", "state", "pid", "since"):
        table.add_column(name)
    health = about["health"] or {}
    for row in about["components"]:
        reported = health.get(row["component"].replace("-", "_"), {}).get("status")
        state = row["state"] + (f" ({reported})" if reported and row["state"] == "running"
                                else "")
        since = (row["since"].astimezone(ZoneInfo("Europe/London")).strftime(
            "%Y-%m-%d %H:%M:%S %Z") if row["since"] else "")
        table.add_row(row["component"], state, str(row["pid"] or ""), since)
    console.print(table)
    running = any(r["state"] == "running" for r in about["components"])
    for label, value in [("UI", about["ui"]),
                         ("login", f"user admin, password in {about['login_file']}"),
                         ("landing folder", about["landing"]), ("packs", about["output"]),
                         ("executor", f"{about['executor']}, parallelism {about['parallelism']}"),
                         ("service logs", about["logs"]), ("task logs", about["task_logs"])]:
        console.print(f"{label:>14}: {value}", soft_wrap=True)
    if not running:
        raise typer.Exit(3)


@service_app.command("logs")
def service_logs(
    component: str = typer.Argument(None, help="scheduler, dag-processor, triggerer, "
                                    "api-server or celery-worker-N; default: all"),
    lines: int = typer.Option(40, "--lines", "-n", help="How many last lines of each."),
) -> None:
    """Print the last lines of each component's log (task logs are in the UI and under
    $ONECOUNCIL_HOME/logs/airflow)."""
    from onecouncil import service

    settings = _settings.load()
    folder = settings.logs / "service"
    files = sorted(folder.glob("*.log")) if folder.is_dir() else []
    if component:
        files = [f for f in files if f.stem == component]
        if not files:
            known = service.components(settings, service.service_env(settings))
            _fail(f"no log of {component!r} in {folder}; components: "
                  f"{', '.join(c.name for c in known)}")
    if not files:
        _fail(f"no service logs in {folder}: start the service with `onecouncil service up`")
    for f in files:
        console.rule(str(f))
        with f.open("rb") as handle:
            tail = handle.readlines()[-lines:]
        console.out(b"".join(tail).decode("utf-8", "replace"), end="", highlight=False)


@app.command()
def docs() -> None:
    """Build the dbt docs (sources, models, tests and every pack as an exposure, with its
    lineage from each source feed) as one static page under $ONECOUNCIL_HOME/docs/."""
    from onecouncil.transform.docs import DocsFailed, build_docs
    from onecouncil.warehouse import server

    server().up()
    try:
        with console.status("running dbt docs generate ..."):
            page = build_docs()
    except DocsFailed as e:
        _fail(str(e))
    console.print(f"dbt docs written to {page} (one file: open it in a browser)")


@app.command()
def demo(
    through: str = typer.Option("2025-26-P06", help="Last fiscal period to simulate."),
    scale: float = typer.Option(1.0, help="Row volumes relative to Milton Keynes."),
    seed: int = typer.Option(7, help="Random seed for the simulator."),
) -> None:
    """Start the warehouse, simulate the council's files, ingest them, build the marts,
    check them and render the packs for every simulated period and quarter, through Airflow;
    then approve every pack as `demo` and publish the public ones under
    $ONECOUNCIL_HOME/published."""
    from onecouncil.calendar import FiscalPeriod, FiscalQuarter, periods_through

    settings = _settings.load()
    landing = settings.home / "demo" / "landing"
    last = FiscalPeriod.parse(through)
    with _logged("demo"):  # one log for the whole demo, its path printed first
        warehouse_up()
        simulate(output=landing, through=through, scale=scale, seed=seed)
        ingest(landing=landing, all_files=False)
        _check_against_manifest(landing)
        transform()
        # the quarters whose last period has been simulated
        quarters = [FiscalQuarter(last.year, q) for q in range(1, 5) if 3 * q <= last.period]
        render_packs(periods_through(last), quarters, None, approve_as="demo")


def _check_against_manifest(landing: Path) -> None:
    import json

    from onecouncil.simulate.check import mismatches
    from onecouncil.warehouse import connect

    manifest = json.loads((landing / "_simulation" / "manifest.json").read_text())
    with connect() as conn:
        problems = mismatches(conn, manifest)
    if problems:
        for line in problems[:20]:
            console.print(f"  {line}", soft_wrap=True)
        _fail(f"{len(problems)} of {len(manifest['files'])} simulated files were not loaded as "
              "the simulator expected; the first are listed above. If $ONECOUNCIL_HOME holds "
              "an earlier demo with another seed or scale, run `make clean` and try again.")
    console.print(f"check: all {len(manifest['files'])} simulated files are in ops.files with "
                  "the outcome and row counts the simulator expected")


def main() -> None:  # pragma: no cover - entry point for `python -m onecouncil`
    app(prog_name="onecouncil")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
