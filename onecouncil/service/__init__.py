"""The council's service: Airflow's scheduler, DAG processor, triggerer and API server
(and Celery workers, with the CeleryExecutor) running in the background on this machine.

`onecouncil service up | down | status | logs`. Everything lives under
$ONECOUNCIL_HOME: pid files in run/, each process's output in logs/service/, task
logs in logs/airflow/, Airflow's home (its generated secrets and the UI's login
file) in airflow/. Airflow's metadata is the warehouse server's `airflow` database.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from onecouncil import settings as _settings
from onecouncil.service import processes

# Stopped in this order: the scheduler first, so it hands out no more work.
COMPONENTS = ("scheduler", "dag-processor", "triggerer", "api-server")
STOP_GRACE_SECONDS = 10.0
READY_TIMEOUT_SECONDS = 180.0


class ServiceError(RuntimeError):
    """The service could not start or stop; the message says what to do."""


@dataclass(frozen=True)
class Component:
    name: str
    argv: list[str]
    env: tuple[tuple[str, str], ...] = ()  # what this component adds to the service's env


def cores() -> int:
    return os.cpu_count() or 1


def executor(env: dict[str, str]) -> str:
    return env.get("AIRFLOW__CORE__EXECUTOR", "LocalExecutor").rsplit(".", 1)[-1]


def celery_workers() -> int:
    return int(os.environ.get("ONECOUNCIL_CELERY_WORKERS") or 1)


def service_env(settings: _settings.Settings) -> dict[str, str]:
    """The environment every component runs with: the project's Airflow settings
    (airflow_runner.airflow_env) and what a background service adds. An AIRFLOW__
    variable the operator set wins."""
    from onecouncil.airflow_runner import _airflow_bin, airflow_env

    n = cores()
    ours = {
        # LocalExecutor starts this many workers, Celery this many per worker: one a core.
        "AIRFLOW__CORE__PARALLELISM": str(max(2, n)),
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(max(1, n)),
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": str(min(2, n)),
        # The DAG files change only when onecouncil is upgraded: parsed again every five
        # minutes, not Airflow's 30 seconds, which kept a tenth of a core busy doing nothing
        # new (README "Running it as the council's service").
        "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "300",
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API__HOST": settings.ui_host,
        "AIRFLOW__API__PORT": str(settings.ui_port),
        # Task processes reach the Execution API over loopback whatever the UI's host.
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL":
            f"http://127.0.0.1:{settings.ui_port}/execution/",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        # Task logs are read in the UI and in files: plain text, no colour codes.
        "AIRFLOW__LOGGING__COLORED_CONSOLE_LOG": "False",
        "NO_COLOR": "1",
        "DBT_USE_COLORS": "False",
        "PYTHONUNBUFFERED": "1",
    }
    env = {**os.environ, **airflow_env(settings)}
    env.update({k: os.environ.get(k, v) if k.startswith("AIRFLOW__") else v
                for k, v in ours.items()})
    if executor(env) == "CeleryExecutor":
        if not env.get("AIRFLOW__CELERY__BROKER_URL"):
            raise ServiceError("the CeleryExecutor needs its broker: set "
                               "AIRFLOW__CELERY__BROKER_URL, e.g. redis://:PASSWORD@HOST:6379/0")
        # Task results in Airflow's metadata database, as docker-compose.yml has them.
        env.setdefault("AIRFLOW__CELERY__RESULT_BACKEND",
                       "db+" + env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    # Airflow starts some of its own processes as `airflow ...` found on PATH.
    env["PATH"] = os.pathsep.join([str(Path(_airflow_bin()).parent), env.get("PATH", "")])
    return env


def components(settings: _settings.Settings, env: dict[str, str]) -> list[Component]:
    from onecouncil.airflow_runner import _airflow_bin

    airflow = _airflow_bin()
    # Task logs are files under $ONECOUNCIL_HOME/logs/airflow that the API server reads
    # itself: no log server, so nothing listens beyond the UI's port.
    found = [
        Component("scheduler", [airflow, "scheduler", "--skip-serve-logs"]),
        Component("dag-processor", [airflow, "dag-processor"]),
        Component("triggerer", [airflow, "triggerer", "--skip-serve-logs"]),
        Component("api-server", [airflow, "api-server", "--host", settings.ui_host,
                                 "--port", str(settings.ui_port), "--workers", "1"]),
    ]
    if executor(env) == "CeleryExecutor":
        host = socket.gethostname()
        for i in range(1, celery_workers() + 1):
            # Each worker records its own name on the task instances it runs.
            found.append(Component(f"celery-worker-{i}", [
                airflow, "celery", "worker", "--celery-hostname", f"worker{i}@{host}",
                "--skip-serve-logs", "--concurrency",
                env["AIRFLOW__CELERY__WORKER_CONCURRENCY"]], env=(
                    ("ONECOUNCIL_WORKER_NAME", f"worker{i}@{host}"),
                    ("AIRFLOW__CORE__HOSTNAME_CALLABLE", "onecouncil.service.worker_name"))))
    return found


def worker_name() -> str:
    """Airflow's hostname_callable on a Celery worker of the service: the worker's own
    name, so two workers on one machine are told apart in task_instance.hostname."""
    return os.environ.get("ONECOUNCIL_WORKER_NAME") or socket.getfqdn()


def log_file(settings: _settings.Settings, name: str) -> Path:
    return settings.logs / "service" / f"{name}.log"


def login_file(settings: _settings.Settings, env: dict[str, str] | None = None) -> Path:
    """The simple auth manager's passwords file (user admin unless configured)."""
    env = env or os.environ
    configured = env.get("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE")
    return Path(configured) if configured else (
        settings.airflow_home / "simple_auth_manager_passwords.json.generated")


def ui_address(settings: _settings.Settings) -> str:
    host = "127.0.0.1" if settings.ui_host in {"127.0.0.1", "localhost"} else settings.ui_host
    return f"http://{host}:{settings.ui_port}"


def health(settings: _settings.Settings) -> dict | None:
    """Airflow's own health report (metadatabase, scheduler, triggerer, DAG processor)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{settings.ui_port}/api/v2/monitor/health",
                                    timeout=3) as answer:
            return json.loads(answer.read())
    except (OSError, ValueError):
        return None


@contextmanager
def _lock(settings: _settings.Settings):
    """One `up` or `down` at a time for this home."""
    settings.run_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.run_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _activate_dags(settings: _settings.Settings) -> None:
    """The project's DAGs run in the service: unpause those created paused before (by a
    run started by hand or an earlier `airflow standalone`), once per home; new ones are
    created active (dags_are_paused_at_creation)."""
    import psycopg

    from onecouncil.warehouse import server

    marker = settings.airflow_home / ".service-activated"
    if marker.exists():
        return
    url = server(settings).airflow_url().replace("postgresql+psycopg2://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("update dag set is_paused = false where bundle_name = 'dags-folder'")
    marker.touch()


def up(settings: _settings.Settings | None = None, echo: Callable[[str], None] = print,
       wait: bool = True) -> list[processes.Running]:
    """Start what is not running yet (a second `up` starts nothing); wait until the UI
    answers and the scheduler reports healthy."""
    from onecouncil.airflow_runner import ensure_metadata_db
    from onecouncil.warehouse import server

    settings = settings or _settings.load()
    with _lock(settings):
        server(settings).up()
        ensure_metadata_db(settings, echo=echo)
        settings.landing.mkdir(parents=True, exist_ok=True)
        env = service_env(settings)
        wanted = components(settings, env)
        missing = [c for c in wanted if processes.running(settings.run_dir, c.name) is None]
        if missing and any(c.name == "api-server" for c in missing) \
                and processes.port_open(settings.ui_port):
            raise ServiceError(
                f"port {settings.ui_port} is already in use by another program; stop it or "
                "set ONECOUNCIL_UI_PORT to a free port")
        if missing:
            _activate_dags(settings)
        for c in missing:
            processes.start(c.name, c.argv, {**env, **dict(c.env)}, settings.run_dir,
                            log_file(settings, c.name), cwd=settings.home)
            echo(f"started {c.name}")
        if not missing:
            echo("the service is already running")
    if wait and missing:
        _wait_ready(settings, [c.name for c in wanted])
    return [r for c in wanted if (r := processes.running(settings.run_dir, c.name))]


def _wait_ready(settings: _settings.Settings, names: list[str]) -> None:
    def ready() -> bool:
        dead = [n for n in names if processes.running(settings.run_dir, n) is None]
        if dead:
            raise ServiceError(
                f"{', '.join(dead)} stopped while starting; see "
                f"{', '.join(str(log_file(settings, n)) for n in dead)}")
        about = health(settings)
        return bool(about) and about.get("scheduler", {}).get("status") == "healthy"

    if not processes.wait_until(ready, READY_TIMEOUT_SECONDS, every=1.0):
        raise ServiceError(
            f"the service did not report healthy within {READY_TIMEOUT_SECONDS:.0f}s; see the "
            f"logs in {settings.logs / 'service'} (`onecouncil service logs`)")


def down(settings: _settings.Settings | None = None, grace: float = STOP_GRACE_SECONDS
         ) -> list[str]:
    """Stop every component and all its processes (executor workers included), then wait
    until the UI's port is free; the names of those that were running."""
    settings = settings or _settings.load()
    with _lock(settings):
        names = processes.recorded(settings.run_dir)
        order = [n for n in COMPONENTS if n in names] + [n for n in names if n not in COMPONENTS]
        found = [(n, r) for n in order if (r := processes.running(settings.run_dir, n))]
        # The scheduler first, so it hands out no more tasks; then the rest together.
        for batch in ([r for n, r in found if n == "scheduler"],
                      [r for n, r in found if n != "scheduler"]):
            if batch:
                processes.stop_tree([r.pid for r in batch], grace)
        for n in names:
            processes.forget(settings.run_dir, n)
        if not processes.wait_until(lambda: not processes.port_open(settings.ui_port), 30):
            raise ServiceError(f"port {settings.ui_port} is still in use after stopping the "
                               "service; another program holds it")
    return [n for n, _ in found]


def status(settings: _settings.Settings | None = None) -> dict:
    settings = settings or _settings.load()
    env = service_env(settings)
    rows = []
    for c in components(settings, env):
        r = processes.running(settings.run_dir, c.name)
        rows.append({"component": c.name, "state": "running" if r else "stopped",
                     "pid": r.pid if r else None, "since": r.started if r else None})
    about = health(settings) if any(r["state"] == "running" for r in rows) else None
    return {
        "components": rows,
        "executor": executor(env),
        "parallelism": env["AIRFLOW__CORE__PARALLELISM"],
        "ui": ui_address(settings),
        "login_file": login_file(settings, env),
        "landing": settings.landing,
        "output": settings.output,
        "logs": settings.logs / "service",
        "task_logs": settings.logs / "airflow",
        "health": about,
    }
