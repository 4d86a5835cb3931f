"""The notifier: an email over real SMTP and a row in ops.notifications, once per event."""

from __future__ import annotations

import dataclasses


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


def test_failed_blocking_checks_are_emailed_once_per_set_of_failures(smtp, notifications):
    from onecouncil.notify.checks import blocking_failures
    from onecouncil.quality.results import CheckResult, Verdict

    failing = CheckResult("dbt", "not_null_finance_outturn_cost_centre",
                          "marts.finance_outturn", "blocking", "fail", 3, "3 rows are null")
    passing = CheckResult("gx", "amounts in pence", "raw.finance__ledger", "blocking", "pass")
    warning = CheckResult("gx", "payments description", "raw.finance__payments", "warning",
                          "fail", 1)
    assert blocking_failures(Verdict("t0", (passing, warning))) is None
    blocking_failures(Verdict("t1", (failing, passing, warning)))
    blocking_failures(Verdict("t2", (failing, passing)))  # the next run, the same failures
    msg = smtp.only("blocking-checks:")
    assert msg["Subject"].strip() == "[onecouncil] 1 blocking data check failed: packs are DRAFT"
    text = msg.get_content()
    assert "not_null_finance_outturn_cost_centre (dbt) on marts.finance_outturn: 3 rows" in text
    assert "payments description" not in text and "What to do next:" in text
    [row] = notifications("blocking check failed")
    assert row["delivered"]

    worse = dataclasses.replace(failing, failing_rows=4, message="4 rows are null")
    blocking_failures(Verdict("t3", (worse,)))  # a different event: four rows now
    assert len(smtp.messages) == 2
