"""`notify`: record an alert in ops.notifications and email it, once per event."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from onecouncil import settings as _settings
from onecouncil.notify import email

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notification:
    event_key: str
    delivered: bool
    duplicate: bool  # the event had already been delivered: nothing sent this time
    error: str | None = None


def notify(event_key: str, kind: str, subject: str, body: str, *, period: str | None = None,
           conn: psycopg.Connection | None = None,
           alerts: _settings.Alerts | None = None) -> Notification:
    """Record and email one alert, unless this event was already delivered.

    `event_key` names the event (e.g. `late-feed:finance/ledger:2026-06-08`): a second
    call with the same key sends nothing. An alert that could not be delivered (no SMTP
    server, server down) is kept with its error and is tried again the next time the
    same event is raised. The row is locked while sending, so two workers raising the
    same event at once send one email.
    """
    alerts = alerts or _settings.alerts()
    if conn is None:
        from onecouncil.warehouse import connect
        from onecouncil.warehouse.schema import migrate

        with connect(autocommit=True) as own:
            migrate(own)  # a callback may be the first thing to run on a new warehouse
            return notify(event_key, kind, subject, body, period=period, conn=own,
                          alerts=alerts)
    with conn.transaction():
        conn.execute(
            """insert into ops.notifications (event_key, kind, period, subject, body, recipients)
               values (%s, %s, %s, %s, %s, %s) on conflict (event_key) do nothing""",
            (event_key, kind, period, subject, body, list(alerts.recipients)))
        (delivered,) = conn.execute(
            "select delivered from ops.notifications where event_key = %s for update",
            (event_key,)).fetchone()
        if delivered:
            log.info("already notified: %s", event_key)
            return Notification(event_key, delivered=True, duplicate=True)
        error = None
        try:
            email.send(alerts, email.message(alerts, event_key, subject, body))
        except Exception as exc:  # recorded, never raised: an alert must not fail the task
            error = f"{type(exc).__name__}: {exc}"
            log.warning("alert %s not emailed: %s", event_key, error)
        conn.execute(
            """update ops.notifications set attempts = attempts + 1, attempted_at = now(),
                   delivered = %s, error = %s, subject = %s, body = %s, recipients = %s
               where event_key = %s""",
            (error is None, error, subject, body, list(alerts.recipients), event_key))
    return Notification(event_key, delivered=error is None, duplicate=False, error=error)
