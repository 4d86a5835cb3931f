"""Where state lives and which server to use, from the environment only.

Everything the project writes (database files, Airflow home, the file archive,
logs, packs) lives under ONECOUNCIL_HOME (default ./.onecouncil), so two
checkouts or a test run never collide. Secrets never come from the repo:
ONECOUNCIL_DATABASE_URL names a server when one is configured.
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
    )
