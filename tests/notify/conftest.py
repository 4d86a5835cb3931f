"""A real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest


class Inbox:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        msg = message_from_bytes(envelope.original_content or envelope.content,
                                 policy=policy.default)
        self.messages.append((tuple(envelope.rcpt_tos), msg))
        return "250 OK"

    def only(self, event_prefix: str):
        """The one message whose event header starts with `event_prefix`."""
        found = [m for _, m in self.messages
                 if m["X-Onecouncil-Event"].startswith(event_prefix)]
        assert len(found) == 1, f"{len(found)} messages for {event_prefix}: {self.subjects()}"
        return found[0]

    def subjects(self) -> list[str]:
        return [m["Subject"] for _, m in self.messages]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    """Start an SMTP server on 127.0.0.1 and point the notifier at it; yields its Inbox."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("ONECOUNCIL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ONECOUNCIL_SMTP_PORT", str(port))
    monkeypatch.setenv("ONECOUNCIL_ALERT_FROM", "onecouncil@mk.example")
    monkeypatch.setenv("ONECOUNCIL_ALERT_TO", "data-team@mk.example, finance-systems@mk.example")
    yield inbox
    controller.stop()


@pytest.fixture
def notifications(conn):
    """The warehouse with ops.notifications emptied; returns a reader of its rows."""
    conn.execute("truncate ops.notifications restart identity")

    def rows(kind: str | None = None) -> list[dict]:
        cur = conn.execute(
            "select event_key, kind, period, subject, body, recipients, delivered, error,"
            " attempts from ops.notifications where %s::text is null or kind = %s"
            " order by notification_id", (kind, kind))
        names = [d.name for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    return rows
