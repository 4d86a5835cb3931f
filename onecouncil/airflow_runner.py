"""Run the project's Airflow: its environment, its metadata database, a DAG in-process.

Airflow reads its configuration from the environment, so everything here sets
os.environ before airflow is imported. The metadata database is the `airflow`
database of the warehouse server (embedded or configured), never SQLite, so
`onecouncil airflow standalone` runs a real LocalExecutor over the same DAGs.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from onecouncil import settings as _settings
from onecouncil.warehouse import server as _server


def airflow_env(settings: _settings.Settings | None = None, quiet: bool = False) -> dict[str, str]:
    settings = settings or _settings.load()
    srv = _server(settings)
    env = {
        "ONECOUNCIL_HOME": str(settings.home),
        "AIRFLOW_HOME": str(settings.airflow_home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": srv.airflow_url(),
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.dags_folder),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Europe/London",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(settings.logs / "airflow"),
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
        # Cosmos asks for this at import and warns when it is missing.
        "AIRFLOW__OPENLINEAGE__NAMESPACE": "onecouncil",
    }
    # dbt (run by Cosmos inside tasks) connects with these; no secret is written to disk.
    from onecouncil.transform.dbt import dbt_env

    env.update({k: v for k, v in dbt_env(settings).items()
                if k.startswith("ONECOUNCIL_DBT_") or k in {"DBT_SEND_ANONYMOUS_USAGE_STATS",
                                                            "ONECOUNCIL_COUNCIL_NAME"}})
    if quiet:
        env["AIRFLOW__LOGGING__LOGGING_LEVEL"] = "WARNING"
    # A value the operator set explicitly wins over ours.
    return {k: os.environ.get(k, v) if k.startswith("AIRFLOW__") else v for k, v in env.items()}


def use_airflow_of(settings: _settings.Settings | None = None) -> None:
    """Point this process's Airflow at the home's metadata database before using it.

    Airflow configures its database engine once, from the environment of the moment it is
    first initialised. A process that initialised it earlier (a test worker that imported
    Airflow before any home was chosen gets SQLite, Airflow's default; a process that used
    another home) would keep that engine, so it is configured again when it differs.
    """
    os.environ.update(airflow_env(settings, quiet=True))
    if "airflow.settings" not in sys.modules:
        return  # Airflow reads the environment when it is first imported
    from airflow import settings as airflow_settings

    if airflow_settings.SQL_ALCHEMY_CONN != os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]:
        airflow_settings.configure_vars()
        airflow_settings.reconfigure_orm()


def serve_this_sdks_api_version() -> bool:
    """Build this process's in-process execution API (dag.test()'s) for the versions the
    task SDK here can speak, not every version Airflow's API server keeps for older
    workers; whether it did.

    Cadwyn, which versions that API, generates every version's routes and schemas when
    the app first answers, each from the next newer one: in Airflow 3.3.2 ten versions,
    3.5-3.7 s of a core in the first task of every command that runs a DAG (`ingest`,
    `transform`, `run`, the demo). The SDK in this process always sends its own version
    (`API_VERSION`), so the app keeps that version, the one before it (whose changes
    restore the endpoints older workers still call) and one more as the oldest, from
    which nothing migrates: 1.1 s. The bundle is a copy of Airflow's with only those
    versions, sharing its version context variable, so each version change still reads
    the request's version as in the full app. Anything unexpected (another Airflow, a
    route that needs an older version) leaves Airflow's own app, built as before."""
    import copy

    from airflow.api_fastapi.execution_api import versions
    from airflow.sdk.api.datamodels._generated import API_VERSION
    from airflow.sdk.execution_time.supervisor import in_process_api_server
    from cadwyn import Version

    api = in_process_api_server()
    full = versions.bundle
    values = [v.value for v in full.versions]
    if api._app is not None or API_VERSION not in values:
        return False
    at = values.index(API_VERSION)
    if at + 2 >= len(values):
        return False
    kept = (*full.versions[at:at + 2], Version(values[at + 2]))
    trimmed = copy.copy(full)
    trimmed.versions = kept
    trimmed.reversed_versions = tuple(reversed(kept))
    trimmed.version_values = tuple(v.value for v in kept)
    trimmed.reversed_version_values = tuple(reversed(trimmed.version_values))
    trimmed._all_versions = (full.head_version, *kept)
    trimmed._version_changes_to_version_mapping = {
        change: v.value for v in kept for change in v.changes}
    trimmed._version_values_set = set(trimmed.version_values)
    trimmed.__dict__.pop("versioned_schemas", None)
    trimmed.__dict__.pop("versioned_enums", None)
    versions.bundle = trimmed  # read once, by create_task_execution_api_app
    try:
        api.app._cadwyn_initialize()  # else done by the first request, inside a task
        return True
    except Exception as e:
        import logging

        logging.getLogger(__name__).warning(
            "the in-process execution API with versions %s only could not be built (%s); "
            "building Airflow's own", ", ".join(trimmed.version_values), e)
        in_process_api_server.cache_clear()
        return False
    finally:
        versions.bundle = full


def _airflow_bin() -> str:
    local = Path(sys.executable).with_name("airflow")
    return str(local) if local.exists() else (shutil.which("airflow") or "airflow")


def ensure_metadata_db(settings: _settings.Settings | None = None, echo=print) -> None:
    """Run `airflow db migrate` once per Airflow version (about a minute the first time)."""
    settings = settings or _settings.load()
    from importlib.metadata import version

    marker = settings.airflow_home / f".migrated-{version('apache-airflow-core')}"
    if marker.exists():
        return
    settings.airflow_home.mkdir(parents=True, exist_ok=True)
    echo("Preparing Airflow's metadata database (first run only, about a minute)...")
    env = {**os.environ, **airflow_env(settings, quiet=True)}
    done = subprocess.run([_airflow_bin(), "db", "migrate"], env=env, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise RuntimeError(f"`airflow db migrate` failed:\n{done.stdout[-2000:]}\n"
                           f"{done.stderr[-4000:]}")
    marker.touch()


def load_dag(dag_file: str, dag_id: str, *, deadlines: bool = False):
    """Import a DAG file from dags/ the way the DAG processor would, and return the DAG.

    For a run in this process (dag.test()) the DAG's deadline alerts are dropped unless
    `deadlines`: Airflow 3.3.2's dag.test() fails a run that succeeds when the DAG has one
    (it looks the alert up by its serialized form: "can't adapt type 'dict'"), and a run
    started by hand has no scheduler to miss a deadline anyway.
    """
    path = _settings.load().dags_folder / dag_file
    spec = importlib.util.spec_from_file_location(f"onecouncil_dags.{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from airflow.sdk import DAG

    for value in vars(module).values():
        if isinstance(value, DAG) and value.dag_id == dag_id:
            if not deadlines:
                value.deadline = None
            return value
    raise LookupError(f"{path} defines no DAG {dag_id!r}")


def dag_for_this_process(dag_file: str, dag_id: str, settings: _settings.Settings,
                         echo=print):
    """The DAG, ready for a run in this process (dag.test()): the warehouse up, Airflow's
    metadata database migrated and this process pointed at it, the execution API built
    for this SDK's version, and no retries."""
    _server(settings).up()
    ensure_metadata_db(settings, echo=echo)
    use_airflow_of(settings)
    serve_this_sdks_api_version()
    dag = load_dag(dag_file, dag_id)
    # Under dag.test() a retry sleeps through retry_delay in this process: a run started
    # by hand fails at once with its reason instead (the scheduler still retries).
    for t in dag.tasks:
        t.retries = 0
    return dag


def run_dag_in_process(dag_file: str, dag_id: str, conf: dict, settings=None, echo=print):
    """Run one DAG run through Airflow in this process (dag.test); return (run_id, state)."""
    settings = settings or _settings.load()
    dag = dag_for_this_process(dag_file, dag_id, settings, echo)
    # dag.test() writes the DAG and its Assets into the metadata database first; two runs
    # started together in a new home race on those inserts (UniqueViolation on the asset
    # table), so in-process runs of one home take turns.
    with _in_process_turn(settings, dag_id, echo):
        run = dag.test(run_conf=conf)
    return run.run_id, str(getattr(run.state, "value", run.state))


@contextmanager
def _in_process_turn(settings: _settings.Settings, dag_id: str, echo=print):
    settings.airflow_home.mkdir(parents=True, exist_ok=True)
    with open(settings.airflow_home / "in-process-run.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            echo(f"{dag_id}: waiting for another in-process run in this home to finish")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
