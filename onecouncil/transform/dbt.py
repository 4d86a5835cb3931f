"""Run the dbt project in dbt/ in-process against the warehouse.

dbt reads its connection only from ONECOUNCIL_DBT_* environment variables
(dbt/profiles.yml), derived here from the warehouse URL, so the embedded server's
Unix socket and a configured server work alike and no secret is written to disk.
dbt connects as the warehouse's transformer role (warehouse.roles), which owns what it
builds: before each invocation the owner hands it any relation of the dbt schemas it
does not own yet (a warehouse from before the roles, a test's hand-made marts).
The dbt var `council_name` follows ONECOUNCIL_COUNCIL_NAME (dbt/dbt_project.yml), the
same name ingestion gives payments files without a body column.
Everything dbt generates goes under $ONECOUNCIL_HOME (target/ in dbt/, dbt.log in
logs/dbt/), never into the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from onecouncil import settings as _settings
from onecouncil.settings import REPO_ROOT

PROJECT_DIR = REPO_ROOT / "dbt"


def _connection_env(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    # libpq lets ?host= name a socket directory; it wins over the netloc.
    host = query.get("host", [None])[0] or parts.hostname or "localhost"
    port = query.get("port", [None])[0] or parts.port or 5432
    return {
        "ONECOUNCIL_DBT_HOST": unquote(host),
        "ONECOUNCIL_DBT_PORT": str(port),
        "ONECOUNCIL_DBT_USER": unquote(parts.username or query.get("user", ["postgres"])[0]),
        "ONECOUNCIL_DBT_PASSWORD": unquote(parts.password or query.get("password", [""])[0]),
        "ONECOUNCIL_DBT_DBNAME": unquote(parts.path.lstrip("/")) or "warehouse",
    }


def dbt_env(settings: _settings.Settings | None = None) -> dict[str, str]:
    """The environment dbt needs: connection, target/log folders, profiles dir, council name."""
    from onecouncil.warehouse import server

    settings = settings or _settings.load()
    env = _connection_env(server(settings).url(role="transformer"))
    env.update({
        "DBT_TARGET_PATH": str(settings.home / "dbt" / "target"),
        "DBT_LOG_PATH": str(settings.logs / "dbt"),  # dbt.log beside the other logs
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_PROJECT_DIR": str(PROJECT_DIR),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "ONECOUNCIL_COUNCIL_NAME": settings.council_name,  # dbt var council_name
        "ONECOUNCIL_DBT_THREADS": str(settings.dbt_threads),  # profiles.yml threads
    })
    return env


def _hand_over(settings: _settings.Settings) -> None:
    """As the owner: the roles exist (migrate) and the transformer owns the dbt schemas'
    relations, or dbt could not replace them."""
    from onecouncil.warehouse import connect
    from onecouncil.warehouse.roles import hand_dbt_relations_to_transformer
    from onecouncil.warehouse.schema import migrate

    with connect(settings, autocommit=True) as conn:
        migrate(conn)
        hand_dbt_relations_to_transformer(conn)


def run_dbt(args: list[str], settings: _settings.Settings | None = None):
    """Invoke dbt (e.g. ["build"]) in this process; returns the dbtRunnerResult.

    dbt is not safe to run twice at once in one process: callers run it serially.
    """
    from dbt.cli.main import dbtRunner

    settings = settings or _settings.load()
    env = dbt_env(settings)
    _hand_over(settings)
    os.environ.update(env)
    Path(env["DBT_TARGET_PATH"]).mkdir(parents=True, exist_ok=True)
    Path(env["DBT_LOG_PATH"]).mkdir(parents=True, exist_ok=True)
    return dbtRunner(callbacks=[_count_nodes()]).invoke(list(args))


# dbt's events saying a node is done (built, tested, skipped or nothing to do), each once.
NODE_DONE = {"LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult",
             "LogNodeResult", "LogNodeNoOpResult", "LogFreshnessResult", "LogFunctionResult",
             "SkippingDetails"}


def _count_nodes():
    """A dbt callback counting nodes done of the total, for a command's progress line."""
    import threading

    from onecouncil import progress

    lock = threading.Lock()
    done = 0

    def on_event(msg) -> None:
        nonlocal done
        if msg.info.name in NODE_DONE:
            with lock:  # dbt's threads call this at once
                done += 1
                progress.report("dbt", done=done, total=getattr(msg.data, "total", 0) or None)

    return on_event
