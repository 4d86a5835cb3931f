"""A command run by hand prints its progress and summary; the logs of what it runs go to
$ONECOUNCIL_HOME/logs (onecouncil.progress, onecouncil.run_log, the demo's issue 13).

`onecouncil demo` itself takes minutes, so its pieces are tested here: the progress
lines of a stage, the run log taking every logger's and library's output, dbt's nodes
counted and its output kept off the terminal, the ingestion summary, and a pack's
stylesheet giving WeasyPrint nothing to warn about.
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.console import Console

from onecouncil import progress, run_log

LINE = re.compile(r"^ingest: 3 of 3 files \(all in\) in \d+\.\ds$")


def plain_console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=False, width=120), out


def test_a_stage_off_a_terminal_prints_plain_lines_and_ends_with_one_line():
    console, out = plain_console()
    with progress.stage(console, "files", "ingest", "files", 3, interval=0.2,
                        tick=0.05) as stage:
        progress.report("files", done=1)
        time.sleep(0.5)
        progress.report("files", done=3, detail="all in")
    lines = out.getvalue().splitlines()
    assert LINE.match(lines[-1]), lines
    # while it ran: a plain line every `interval`, never a bar redrawn in place
    running = lines[:-1]
    assert 1 <= len(running) <= 4, lines
    assert all(re.match(r"^ingest: [13] of 3 files.* so far$", line) for line in running)
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()
    assert stage.done == 3
    # once it is over, a report has nowhere to go and changes nothing
    progress.report("files", done=99)
    assert stage.done == 3


def test_a_stage_on_a_terminal_updates_in_place_and_leaves_one_line():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    with progress.stage(console, "dbt", "transform", "dbt nodes built", tick=0.05):
        progress.report("dbt", done=5, total=10)
        time.sleep(0.2)
    text = out.getvalue()
    finals = [line for line in re.split(r"[\r\n]", text) if line.endswith("s")
              and " in " in line and "transform: 5 of 10 dbt nodes built" in line]
    assert len(finals) == 1, text


def test_a_stage_reads_its_count_with_poll_and_survives_a_failing_poll():
    console, out = plain_console()
    calls = []

    def poll(stage):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("the warehouse is not there yet")
        stage.update(len(calls), total=7)

    with progress.stage(console, "packs", "packs", "rendered", poll=poll, tick=0.05):
        time.sleep(0.3)
    assert re.match(r"^packs: \d+ of 7 rendered in \d+\.\ds$", out.getvalue().splitlines()[-1])


def test_elapsed_reads_as_seconds_minutes_hours():
    assert progress.elapsed(4.25) == "4.2s"
    assert progress.elapsed(125) == "2m 05s"
    assert progress.elapsed(3723) == "1h 02m"


def test_dbt_nodes_done_are_counted_into_the_open_stage():
    from onecouncil.transform.dbt import _count_nodes

    def event(name, total=None):
        return SimpleNamespace(info=SimpleNamespace(name=name),
                               data=SimpleNamespace(total=total))

    console, out = plain_console()
    on_event = _count_nodes()
    with progress.stage(console, "dbt", "transform", "dbt nodes built", tick=0.05) as stage:
        for e in [event("LogStartLine", 4), event("LogModelResult", 4),
                  event("LogTestResult", 4), event("NodeFinished"),
                  event("SkippingDetails", 4), event("LogNodeNoOpResult", 4)]:
            on_event(e)
    assert (stage.done, stage.total) == (4, 4)
    assert out.getvalue().splitlines()[-1].startswith("transform: 4 of 4 dbt nodes built in ")


RUN_IN_A_LOG = textwrap.dedent("""
    import logging, sys, warnings
    from pathlib import Path
    from rich.console import Console
    from onecouncil import run_log

    console = Console(width=120)
    logging.basicConfig(level=logging.INFO)  # a handler holding sys.stderr from before
    early = logging.getLogger("weasyprint")
    with run_log.into(Path(sys.argv[1]), "demo", consoles=[console]) as path:
        console.print("the command's own line")
        print("dbt: 1 of 1 OK created sql view model staging.stg_x")
        early.warning("Ignored `overflow-x: auto` at 1:1, unknown property.")
        logging.getLogger("great_expectations").error("an expectation could not run")
        sys.stderr.write("a progress bar on stderr\\n")
        with run_log.into(Path(sys.argv[1]), "ingest", consoles=[console]) as inner:
            assert inner == path  # a command inside the demo writes to the demo's log
        console.print(f"log: {path}")
    print("after the run")
""")


def test_the_run_log_takes_every_library_output_and_the_command_keeps_its_lines(tmp_path):
    done = subprocess.run([sys.executable, "-c", RUN_IN_A_LOG, str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "the command's own line"
    assert lines[1].startswith("log: ") and lines[2] == "after the run" and len(lines) == 3
    assert done.stderr == ""
    [log] = (tmp_path / "runs").glob("demo-*.log")
    assert lines[1] == f"log: {log}"
    text = log.read_text()
    for written in ("dbt: 1 of 1 OK created", "Ignored `overflow-x", "could not run",
                    "a progress bar on stderr"):
        assert written in text
    assert "the command's own line" not in text


def test_the_last_errors_of_a_run_log_name_the_failure(tmp_path, monkeypatch):
    log = tmp_path / "run.log"
    log.write_text(textwrap.dedent("""\
        2026-12-01T13:56:35Z [info     ] Task started
        2026-12-01T13:56:35Z [error    ] Task failed with exception     [task]
        Traceback (most recent call last):
          File "x.py", line 1, in <module>
            load()
        psycopg.errors.InsufficientPrivilege: permission denied for table payments
        2026-12-01T13:56:36Z [info     ] DagRun Finished
        """))
    monkeypatch.setattr(run_log, "_last", log)
    assert run_log.errors() == [
        "2026-12-01T13:56:35Z [error    ] Task failed with exception     [task]",
        "psycopg.errors.InsufficientPrivilege: permission denied for table payments"]


def test_old_run_logs_are_removed(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    for i in range(run_log.KEEP + 5):
        path = folder / f"ingest-{i:03d}.log"
        path.write_text("x")
        stamp = 1_750_000_000 + i
        import os

        os.utime(path, (stamp, stamp))
    with run_log.into(tmp_path, "demo"):
        pass
    kept = sorted(p.name for p in folder.glob("*.log"))
    assert len(kept) == run_log.KEEP
    assert "ingest-000.log" not in kept and any(k.startswith("demo-") for k in kept)


def test_the_pack_stylesheet_gives_weasyprint_nothing_to_warn_about(caplog):
    from onecouncil.packs.render import STYLESHEET, render_pdf

    css = STYLESHEET.read_text(encoding="utf-8")
    assert "overflow-x" in css  # still there for a screen: a wide table scrolls
    html = (f'<!doctype html><html lang="en"><head><title>t</title><style>{css}</style>'
            '</head><body><main><div class="table-wrap"><table><caption>c</caption><thead>'
            '<tr><th scope="col">a</th></tr></thead><tbody><tr><td>1</td></tr></tbody>'
            '</table></div></main></body></html>')
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        assert render_pdf(html, Path(".")).startswith(b"%PDF")
    warned = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")
              and r.levelno >= logging.WARNING]
    assert warned == []


@pytest.fixture
def one_run(conn):
    """ops.files of one ingestion run: loaded with rows set aside, refused, duplicate."""
    rows = [("finance/ledger", "GL_P01.csv", "loaded", None, 10, 8, 2, "a" * 64),
            ("finance/ledger", "GL_P02.csv", "loaded", None, 5, 5, 0, "b" * 64),
            ("customer/contacts", "crm_empty.csv", "refused",
             "zero data rows: the file has a header but no data", 0, 0, 0, "c" * 64),
            ("finance/payments", "Spend (1).csv", "duplicate",
             "the same bytes arrived before; nothing new loaded", 0, 0, 0, "d" * 64)]
    for feed, name, outcome, reason, read, loaded, quarantined, sha in rows:
        file_id = conn.execute(
            "insert into ops.files (sha256, feed, file_name, arrived_at, outcome, reason, "
            "rows_read, rows_loaded, rows_quarantined, size_bytes, run_id) values "
            "(%s, %s, %s, now(), %s, %s, %s, %s, %s, 100, 'run-1') returning file_id",
            (sha, feed, name, outcome, reason, read, loaded, quarantined)).fetchone()[0]
        for line in range(quarantined):
            conn.execute("insert into ops.quarantine (file_id, sha256, feed, line_number, "
                         "reason, raw) values (%s, %s, %s, %s, %s, %s)",
                         (file_id, sha, feed, 3 + line, "amount: not a number",
                          '{"Net Amount": "twelve"}'))
    return "run-1"


def test_the_ingestion_summary_lists_refused_and_duplicate_files_not_every_file(
        one_run, monkeypatch):
    from onecouncil import cli

    out = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=out, width=160))
    cli.print_run(one_run)
    text = out.getvalue()
    assert "Files refused or duplicated" in text
    assert "crm_empty.csv" in text and "zero data rows" in text
    assert "Spend (1).csv" in text and "the same bytes arrived before" in text
    assert "GL_P01.csv" not in text  # its 2 quarantined rows are counted per feed instead
    ledger = next(line for line in text.splitlines() if "finance/ledger" in line)
    assert re.search(r"\b2\s*│\s*$", ledger), ledger  # rows quarantined, per feed
    assert "onecouncil feeds quarantine FEED" in text

    out.seek(0)
    out.truncate()
    cli.print_run(one_run, all_files=True)
    assert "GL_P01.csv" in out.getvalue() and "GL_P02.csv" in out.getvalue()


def test_feeds_quarantine_lists_a_feeds_rows_set_aside(one_run):
    from typer.testing import CliRunner

    from onecouncil.cli import app

    runner = CliRunner()
    done = runner.invoke(app, ["feeds", "quarantine", "finance/ledger", "--run", one_run])
    assert done.exit_code == 0, done.output
    assert "2 rows quarantined" in done.output
    assert done.output.count("GL_P01.csv") == 2 and "amount: not a number" in done.output
    assert "twelve" in done.output
    first = runner.invoke(app, ["feeds", "quarantine", "finance/ledger", "--limit", "1"])
    assert "the first 1 of 2; --limit 0 lists them all" in first.output
    none = runner.invoke(app, ["feeds", "quarantine", "finance/payments"])
    assert "finance/payments: no rows quarantined" in none.output
    unknown = runner.invoke(app, ["feeds", "quarantine", "finance/nope"])
    assert unknown.exit_code != 0 and "unknown feed" in unknown.output


def test_dbt_in_a_run_log_prints_only_the_progress_line_and_logs_to_the_home(
        warehouse, settings, capfd):
    from onecouncil.transform.dbt import run_dbt

    console = Console(width=120)  # writes to sys.stdout, as the command's console does
    capfd.readouterr()
    with run_log.into(settings.logs, "transform", consoles=[console]) as path, \
            progress.stage(console, "dbt", "transform", "dbt nodes built"):
        result = run_dbt(["build", "--select", "stg_finance__ledger"], settings)
    assert result.success, result.exception
    out, err = capfd.readouterr()
    nodes = len(result.result)
    assert nodes >= 2  # the view and its tests
    *running, last = out.splitlines()
    assert re.fullmatch(rf"transform: {nodes} of {nodes} dbt nodes built in \S+( \S+)?", last)
    # a slow parse adds a line a minute, nothing else does
    assert all(re.fullmatch(r"transform: .* so far", line) for line in running), out
    assert err == ""
    assert "stg_finance__ledger" in path.read_text()  # dbt's console lines, in the run log
    assert "stg_finance__ledger" in (settings.logs / "dbt" / "dbt.log").read_text()
