"""Scale-out on Celery, proven on one machine: Redis on loopback as the broker, task results
in the airflow database, the scheduler, DAG processor, triggerer, API server and two Celery
workers against the embedded PostgreSQL, with the settings docker-compose.yml uses. A
period's files dropped into the landing folder become ops.files rows, marts and the
finance pack, with tasks run on both workers; then everything started is stopped."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from . import helpers
from .conftest import needs_scheduler

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


@pytest.fixture
def redis():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server; "
                    ".ci/run installs it): the Celery scale-out test needs a Redis broker")
    port, password = helpers.free_port(), secrets.token_hex(16)
    proc = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port),
                             "--requirepass", password, "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        from onecouncil.service.processes import port_open, wait_until

        assert wait_until(lambda: port_open(port), 20), "redis-server did not start"
        yield f"redis://:{password}@127.0.0.1:{port}/0"
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
def celery_service(tmp_path_factory, redis):
    home = tmp_path_factory.mktemp("celery-home")
    env = helpers.clean_env(home, AIRFLOW__CORE__EXECUTOR="CeleryExecutor",
                            AIRFLOW__CELERY__BROKER_URL=redis, ONECOUNCIL_CELERY_WORKERS="2",
                            AIRFLOW__CELERY__WORKER_CONCURRENCY="1")
    yield home, env
    helpers.stop_everything(env, home)


def test_the_service_settings_are_those_of_the_compose_deployment():
    """The shape proven here is the one docker-compose.yml deploys."""
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    common = compose["x-airflow-common"]["environment"]
    assert common["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert common["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://:")
    assert common["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql")
    assert common["AIRFLOW__CELERY__RESULT_BACKEND"].endswith("/airflow")
    assert common["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("/airflow")
    assert common["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].endswith("/execution/")
    assert compose["services"]["airflow-worker"]["command"] == "celery worker"


@needs_scheduler
def test_two_celery_workers_run_the_pipeline_from_landing_to_pack(celery_service, simulated):
    home, env = celery_service
    started = time.monotonic()
    up = helpers.cli(env, "service", "up", timeout=600)
    for name in ("scheduler", "dag-processor", "triggerer", "api-server", "celery-worker-1",
                 "celery-worker-2"):
        assert f"started {name}" in up.stdout
    assert "CeleryExecutor" in up.stdout

    dropped = helpers.drop_period(simulated, helpers.landing_named_by_status(env))
    pack = home / "output" / "2025-26" / "P01" / "finance-outturn.json"  # written last
    helpers.wait_for(pack, 1500, env, home)  # 5-14 min on 2 shared cores
    took = time.monotonic() - started

    assert helpers.pack_json(pack)["period"] == "P01"
    assert pack.with_suffix(".pdf").stat().st_size > 0
    with helpers.warehouse_db(env) as conn:
        loaded = conn.execute("select count(*) from ops.files where outcome = 'loaded'"
                              ).fetchone()[0]
        assert loaded >= dropped - 1  # a simulated rerun of a day's file may be a duplicate
        ledger = conn.execute("select count(*) from marts.finance_outturn_council "
                              "where fiscal_year = '2025-26' and period = 1").fetchone()[0]
        assert ledger > 0
    with helpers.airflow_db(env) as conn:
        runs = set(conn.execute("select dag_id, run_type from dag_run").fetchall())
        assert {("ingest_landing", "scheduled"), ("transform", "asset_triggered"),
                ("monthly_packs", "asset_triggered")} <= runs
        hosts = dict(conn.execute(
            "select hostname, count(*) from task_instance where state = 'success' "
            "group by hostname").fetchall())
        assert conn.execute("select count(*) from celery_taskmeta").fetchone()[0] > 0
    workers = {h for h in hosts if h.startswith(("worker1@", "worker2@"))}
    assert len(workers) == 2, f"tasks ran on {hosts}, not on both workers"

    procs = helpers.service_processes(home)
    helpers.cli(env, "service", "down", timeout=180)
    assert not [p for p in procs if p.is_running() and p.status() != "zombie"]
    assert helpers.service_processes(home) == []
    print(f"celery: service up to finance pack on disk: {took:.0f}s; tasks per worker {hosts}")
