"""`onecouncil alerts ...`: the settings, a test message over real SMTP, the record."""

from __future__ import annotations

from typer.testing import CliRunner


def test_alerts_status_test_and_list(smtp, notifications):
    from onecouncil.cli import app

    runner = CliRunner()
    status = runner.invoke(app, ["alerts", "status"])
    assert status.exit_code == 0, status.output
    assert "127.0.0.1:" in status.output and "data-team@mk.example" in status.output

    sent = runner.invoke(app, ["alerts", "test"])
    assert sent.exit_code == 0, sent.output
    msg = smtp.only("test:")
    assert msg["Subject"] == "[onecouncil] test alert"

    listed = runner.invoke(app, ["alerts", "list"])
    assert listed.exit_code == 0 and "test alert" in listed.output and "yes" in listed.output


def test_alerts_test_says_what_is_missing(notifications, monkeypatch, warehouse):
    from onecouncil.cli import app

    for name in ("ONECOUNCIL_SMTP_HOST", "ONECOUNCIL_ALERT_TO"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["alerts", "status"]).exit_code == 3
    sent = runner.invoke(app, ["alerts", "test"])
    assert sent.exit_code == 1 and "set ONECOUNCIL_SMTP_HOST" in sent.output
    [row] = notifications("test")
    assert not row["delivered"]
