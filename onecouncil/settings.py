"""Where state lives and which server to use, from the environment only.

Everything the project writes (database files, Airflow home, the file archive,
logs, packs) lives under ONECOUNCIL_HOME (default ./.onecouncil), so two
checkouts or a test run never collide. Secrets never come from the repo:
ONECOUNCIL_DATABASE_URL names a server when one is configured (its user owns the
warehouse); the components' roles' passwords: `role_password()`.
Alerts (`alerts()`): ONECOUNCIL_SMTP_HOST, ONECOUNCIL_SMTP_PORT, ONECOUNCIL_SMTP_STARTTLS,
ONECOUNCIL_SMTP_USER, ONECOUNCIL_SMTP_PASSWORD, ONECOUNCIL_ALERT_FROM, ONECOUNCIL_ALERT_TO.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str | None  # a configured warehouse server; None = embedded
    airflow_database_url: str | None
    council_name: str
    # Airflow's UI and API: loopback only unless ONECOUNCIL_UI_HOST opens it wider.
    ui_host: str = "127.0.0.1"
    ui_port: int = 8080
    # A landing file changed this recently may still be being written: it waits for the
    # next run (ONECOUNCIL_SETTLE_SECONDS; 0 where the project wrote the files itself).
    settle_seconds: float = 60
    # The council's own header words (ONECOUNCIL_FEEDS_FILE; default $ONECOUNCIL_HOME/feeds.yml).
    feeds_file: Path | None = None
    # Nodes dbt builds at once (ONECOUNCIL_DBT_THREADS). Four on 2 cores: each node is a
    # little of dbt's Python and a query the server runs, so four overlap where two queue
    # (a full build measured 152 s against 218 s with two; eight no better than four).
    dbt_threads: int = 4
    # Transform runs whose GX validation results (and Data Docs pages) are kept
    # (ONECOUNCIL_GX_KEEP_RUNS): GX's Data Docs index reads every stored result on each
    # run, so unbounded they would make every transform slower than the last.
    gx_keep_runs: int = 30

    @property
    def pgdata(self) -> Path:
        return self.home / "pgdata"

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def landing(self) -> Path:
        return self.home / "landing"

    @property
    def output(self) -> Path:
        return self.home / "output"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def run_dir(self) -> Path:
        """Pid files of the service's processes (`onecouncil service`)."""
        return self.home / "run"

    @property
    def dags_folder(self) -> Path:
        return REPO_ROOT / "dags"


def load() -> Settings:
    home = Path(os.environ.get("ONECOUNCIL_HOME") or ".onecouncil").expanduser().resolve()
    return Settings(
        home=home,
        database_url=os.environ.get("ONECOUNCIL_DATABASE_URL") or None,
        airflow_database_url=os.environ.get("ONECOUNCIL_AIRFLOW_DATABASE_URL") or None,
        council_name=os.environ.get("ONECOUNCIL_COUNCIL_NAME") or "Milton Keynes City Council",
        ui_host=os.environ.get("ONECOUNCIL_UI_HOST") or "127.0.0.1",
        ui_port=int(os.environ.get("ONECOUNCIL_UI_PORT") or 8080),
        settle_seconds=float(os.environ.get("ONECOUNCIL_SETTLE_SECONDS") or 60),
        feeds_file=Path(os.environ["ONECOUNCIL_FEEDS_FILE"]).expanduser().resolve()
        if os.environ.get("ONECOUNCIL_FEEDS_FILE") else home / "feeds.yml",
        dbt_threads=_positive_int("ONECOUNCIL_DBT_THREADS", 4),
        gx_keep_runs=_positive_int("ONECOUNCIL_GX_KEEP_RUNS", 30),
    )


def _positive_int(name: str, default: int) -> int:
    text = (os.environ.get(name) or "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{name}={text!r}: give a whole number of 1 or more "
                         f"(unset it for the default, {default})")
    return int(text)


def role_password(role: str) -> str | None:
    """A warehouse role's password on a configured server: ONECOUNCIL_LOADER_PASSWORD,
    ONECOUNCIL_TRANSFORMER_PASSWORD, ONECOUNCIL_READER_PASSWORD (the embedded server's
    roles log in over its Unix socket and need none)."""
    return os.environ.get(f"ONECOUNCIL_{role.upper()}_PASSWORD") or None


@dataclass(frozen=True)
class Alerts:
    """Where the data team's alerts go (onecouncil.notify). Unset host: alerts are only
    recorded in ops.notifications, each with the reason it was not emailed."""

    smtp_host: str | None  # ONECOUNCIL_SMTP_HOST
    smtp_port: int  # ONECOUNCIL_SMTP_PORT, default 25 (587 with STARTTLS)
    smtp_starttls: bool  # ONECOUNCIL_SMTP_STARTTLS=true to upgrade the connection
    smtp_user: str | None  # ONECOUNCIL_SMTP_USER (optional)
    smtp_password: str | None  # ONECOUNCIL_SMTP_PASSWORD (optional; a secret: env only)
    sender: str  # ONECOUNCIL_ALERT_FROM
    recipients: tuple[str, ...]  # ONECOUNCIL_ALERT_TO, comma-separated


def alerts() -> Alerts:
    env = os.environ.get
    starttls = (env("ONECOUNCIL_SMTP_STARTTLS") or "").strip().lower() in {"1", "true", "yes"}
    return Alerts(
        smtp_host=env("ONECOUNCIL_SMTP_HOST") or None,
        smtp_port=int(env("ONECOUNCIL_SMTP_PORT") or (587 if starttls else 25)),
        smtp_starttls=starttls,
        smtp_user=env("ONECOUNCIL_SMTP_USER") or None,
        smtp_password=env("ONECOUNCIL_SMTP_PASSWORD") or None,
        sender=env("ONECOUNCIL_ALERT_FROM") or "onecouncil@localhost",
        recipients=tuple(a.strip() for a in (env("ONECOUNCIL_ALERT_TO") or "").split(",")
                         if a.strip()),
    )
