"""The notifier: an email over real SMTP and a row in ops.notifications, once per event."""

from __future__ import annotations


def test_an_alert_is_emailed_and_recorded_once(smtp, notifications):
    from onecouncil.notify.send import notify

    first = notify("test:ledger-late", "late feed", "finance/ledger is late",
                   "What happened: no ledger file.", period="2025-26-P05")
    again = notify("test:ledger-late", "late feed", "finance/ledger is late",
                   "What happened: no ledger file.", period="2025-26-P05")

    assert (first.delivered, first.duplicate) == (True, False)
    assert again.duplicate
    assert len(smtp.messages) == 1
    rcpt, msg = smtp.messages[0]
    assert set(rcpt) == {"data-team@mk.example", "finance-systems@mk.example"}
    assert msg["Subject"] == "[onecouncil] finance/ledger is late"
    assert msg["From"] == "onecouncil@mk.example"
    assert "What happened: no ledger file." in msg.get_content()
    [row] = notifications()
    assert row["event_key"] == msg["X-Onecouncil-Event"] == "test:ledger-late"
    assert row["delivered"] and row["error"] is None and row["attempts"] == 1
    assert row["recipients"] == ["data-team@mk.example", "finance-systems@mk.example"]
    assert row["period"] == "2025-26-P05"


def test_an_alert_that_cannot_be_sent_is_kept_with_its_reason_and_sent_later(
        smtp, notifications, monkeypatch):
    from onecouncil.notify.send import notify

    monkeypatch.delenv("ONECOUNCIL_SMTP_HOST")
    failed = notify("test:chase", "forecast chase", "3 cost centres", "Chase them.")
    assert not failed.delivered and "ONECOUNCIL_SMTP_HOST" in failed.error
    [row] = notifications()
    assert not row["delivered"] and "set ONECOUNCIL_SMTP_HOST" in row["error"]
    assert smtp.messages == []

    monkeypatch.setenv("ONECOUNCIL_SMTP_HOST", "127.0.0.1")
    retried = notify("test:chase", "forecast chase", "3 cost centres", "Chase them.")
    assert retried.delivered and len(smtp.messages) == 1
    [row] = notifications()
    assert row["delivered"] and row["error"] is None and row["attempts"] == 2


def test_a_refused_connection_is_recorded_not_raised(smtp, notifications, monkeypatch):
    from onecouncil.notify.send import notify

    from tests.notify.conftest import _free_port

    monkeypatch.setenv("ONECOUNCIL_SMTP_PORT", str(_free_port()))  # nothing listens there
    result = notify("test:down", "task failed", "x failed", "body")
    assert not result.delivered
    [row] = notifications()
    assert "ConnectionRefusedError" in row["error"]
