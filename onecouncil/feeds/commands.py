"""`onecouncil feeds list`, `onecouncil feeds check FILE --feed FEED` and
`onecouncil feeds quarantine FEED`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

feeds_app = typer.Typer(help="The landing feeds: their columns and header words, and a dry "
                             "run of a file against one.", no_args_is_help=True)
console = Console(width=None if sys.stdout.isatty() else 120, soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def _council_words() -> dict:
    from onecouncil.feeds.council import FeedsFileError, load

    try:
        return load()
    except FeedsFileError as e:
        _fail(str(e))


@feeds_app.command("list")
def list_feeds() -> None:
    """Every feed with its columns (required ones marked *), the built-in header words for
    each and the council's own from the feeds file (ONECOUNCIL_FEEDS_FILE)."""
    from onecouncil import settings as _settings
    from onecouncil.feeds import FEEDS

    council = _council_words()
    path = _settings.load().feeds_file
    console.print(f"header words of the council's own: {path}"
                  + ("" if path and path.exists() else " (no such file: none)"))
    for feed in FEEDS:
        table = Table(title=f"{feed.folder}: {feed.description}", title_justify="left")
        for name in ("column", "type", "built-in header words", "the council's words"):
            table.add_column(name, overflow="fold")
        words = council.get(feed.folder, {})
        for c in feed.columns:
            table.add_row(escape(c.name + (" *" if c.required else "")), c.type,
                          escape(", ".join(c.synonyms)), escape(", ".join(words.get(c.name, ()))))
        console.print(table)
    console.print("* required. Names match ignoring case, spaces, _ and punctuation.")


@feeds_app.command("check")
def check(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="The file to try."),
    feed: str = typer.Option(..., "--feed", help="The feed folder, e.g. finance/payments."),
) -> None:
    """Read FILE as the loader would for FEED and say what a run would do with it: the
    header mapping, rows that would load and be quarantined (first reasons), the control
    total, or the refusal with hints. Touches neither the warehouse nor the archive.
    Exits 0 when the file would load, 1 when it would be refused."""
    from onecouncil.feeds import FEEDS
    from onecouncil.ingest.check import check_file

    _council_words()
    by_folder = {f.folder: f for f in FEEDS}
    if feed not in by_folder:
        _fail(f"unknown feed {feed!r}; the feeds are {', '.join(sorted(by_folder))}")
    result = check_file(file, by_folder[feed])
    say = console.print
    say(f"{escape(str(file))} as {feed}: [bold]{result.outcome}[/bold]"
        + (f" ({result.encoding})" if result.encoding else ""))
    if result.header_line is not None:
        say(f"header: line {result.header_line}")
        table = Table("column", "found as", title="header mapping", title_justify="left")
        for column, found in result.mapping.items():
            required = by_folder[feed].column(column).required
            shown = repr(found) if found is not None else (
                "[red]missing[/red]" if required else "absent")
            table.add_row(escape(column + (" *" if required else "")), escape(shown)
                          if found is not None else shown)
        say(table)
        if result.extra_columns:
            say("extra columns, kept in the raw layer: "
                + escape(", ".join(result.extra_columns)))
        say(f"rows read {result.rows_read:,}: would load {result.rows_loaded:,}, "
            f"would be quarantined {result.rows_quarantined:,}")
        for line, reason in result.first_quarantined:
            say(f"  line {line}: {escape(reason)}")
        if result.control_total is not None:
            say(f"control total (TOTAL row): £{result.control_total:,}; the column sums to "
                f"£{result.column_sum:,}")
        elif result.column_sum is not None:
            say(f"no TOTAL row; the {by_folder[feed].control_total} column sums to "
                f"£{result.column_sum:,}")
    if result.outcome != "would load":
        say(f"[bold red]refused:[/] {escape(result.reason or '')}")
        if result.closest_line is not None:
            say(f"closest header row: line {result.closest_line}: "
                + escape(" | ".join(result.closest_columns)))
            for column, found in result.candidates.items():
                say(f"  {column}: " + (escape(" or ".join(repr(c) for c in found))
                                       if found else "nothing looks like it"))
        raise typer.Exit(1)
    if result.note:
        say(f"note: {escape(result.note)}")


@feeds_app.command("quarantine")
def quarantine(
    feed: str = typer.Argument(..., help="The feed folder, e.g. finance/ledger."),
    run: str = typer.Option(None, "--run", help="Only the files of this ingestion run (its "
                            "id, as `onecouncil ingest` prints it); default every run."),
    limit: int = typer.Option(50, "--limit", help="Show the first N rows; 0 shows all."),
) -> None:
    """List the FEED's rows set aside at load (ops.quarantine): file, line, reason and the
    values the row had, in arrival and line order. `onecouncil ingest` counts them per
    feed; this says which and why."""
    import json

    from onecouncil.feeds import FEEDS
    from onecouncil.ingest.summary import quarantined_rows
    from onecouncil.warehouse import connect

    folders = {f.folder for f in FEEDS}
    if feed not in folders:
        _fail(f"unknown feed {feed!r}; the feeds are {', '.join(sorted(folders))}")
    with connect() as conn:
        rows, total = quarantined_rows(conn, feed, run, limit or None)
    if not rows:
        console.print(f"{feed}: no rows quarantined" + (f" in run {escape(run)}" if run else ""))
        return
    table = Table(title=f"{feed}: {total:,} rows quarantined" + (f" in run {escape(run)}"
                  if run else ""), title_justify="left")
    for name in ("file", "line", "reason", "values as read"):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(escape(r["file_name"]), str(r["line_number"]), escape(r["reason"]),
                      escape(json.dumps(r["raw"], ensure_ascii=False)))
    console.print(table)
    if total > len(rows):
        console.print(f"the first {len(rows):,} of {total:,}; --limit 0 lists them all")
