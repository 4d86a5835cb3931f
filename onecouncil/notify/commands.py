"""`onecouncil alerts status | test | list`: is the data team's email set up, and what
was it told?"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

alerts_app = typer.Typer(help="Alerts to the data team: their email settings, a test "
                              "message, and what was sent (ops.notifications).",
                         no_args_is_help=True)
console = Console(width=None if sys.stdout.isatty() else 120, soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@alerts_app.command("status")
def status() -> None:
    """Where alerts go, from the ONECOUNCIL_SMTP_* and ONECOUNCIL_ALERT_* settings (the
    password is never shown)."""
    from onecouncil.settings import alerts

    a = alerts()
    rows = [("SMTP server", f"{a.smtp_host}:{a.smtp_port}" if a.smtp_host
             else "not set (ONECOUNCIL_SMTP_HOST): alerts are only recorded"),
            ("STARTTLS", "yes" if a.smtp_starttls else "no"),
            ("login", a.smtp_user or "none"),
            ("from", a.sender),
            ("to", ", ".join(a.recipients) or "nobody (ONECOUNCIL_ALERT_TO)")]
    for key, value in rows:
        console.print(f"{key:>11}: {escape(value)}")
    if not (a.smtp_host and a.recipients):
        raise typer.Exit(3)


@alerts_app.command("test")
def test() -> None:
    """Send a test alert now through the configured server, and record it."""
    from datetime import datetime

    from onecouncil.notify.send import notify
    from onecouncil.warehouse import server

    server().up()
    _migrate()
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    result = notify(f"test:{stamp}", "test", "test alert",
                    "What happened: someone ran `onecouncil alerts test`.\n\n"
                    "What to do next: nothing; alerts reach you.")
    if not result.delivered:
        err.print(f"[bold red]error:[/] not sent: {escape(result.error or '')}")
        raise typer.Exit(1)
    console.print("test alert sent")


@alerts_app.command("list")
def list_alerts(limit: int = typer.Option(20, help="How many, newest first.")) -> None:
    """The latest alerts in ops.notifications: when, what, delivered or why not."""
    from onecouncil.warehouse import connect, server

    server().up()
    _migrate()
    with connect(autocommit=True) as conn:
        rows = conn.execute(
            "select created_at, kind, period, subject, delivered, error from ops.notifications"
            " order by created_at desc, notification_id desc limit %s", (limit,)).fetchall()
    if not rows:
        console.print("no alerts yet")
        return
    table = Table("when", "kind", "period", "subject", "emailed")
    for when, kind, period, subject, delivered, error in rows:
        table.add_row(f"{when.astimezone():%Y-%m-%d %H:%M}", kind, period or "",
                      escape(subject), "yes" if delivered else escape(f"no: {error}"))
    console.print(table)


def _migrate() -> None:
    from onecouncil.warehouse import connect
    from onecouncil.warehouse.schema import migrate

    with connect(autocommit=True) as conn:
        migrate(conn)
