"""One alert as an email, sent over SMTP as the environment configures it."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from onecouncil.settings import Alerts


def message(alerts: Alerts, event_key: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"[onecouncil] {subject}"
    msg["From"] = alerts.sender
    msg["To"] = ", ".join(alerts.recipients)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=alerts.sender.rpartition("@")[2] or None)
    # Lets a mail rule (or a test) tie the message back to its row in ops.notifications.
    msg["X-Onecouncil-Event"] = event_key
    msg.set_content(body)
    return msg


def send(alerts: Alerts, msg: EmailMessage) -> None:
    """Deliver `msg`; raises with a sentence saying what to fix when it cannot."""
    if not alerts.smtp_host:
        raise RuntimeError("no SMTP server is configured: set ONECOUNCIL_SMTP_HOST "
                           "(and ONECOUNCIL_ALERT_TO) to have alerts emailed")
    if not alerts.recipients:
        raise RuntimeError("no recipients: set ONECOUNCIL_ALERT_TO to the data team's "
                           "address(es), comma-separated")
    with smtplib.SMTP(alerts.smtp_host, alerts.smtp_port, timeout=30) as smtp:
        if alerts.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if alerts.smtp_user:
            smtp.login(alerts.smtp_user, alerts.smtp_password or "")
        smtp.send_message(msg)
