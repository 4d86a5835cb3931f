"""The service as a council's data team meets it: `onecouncil service up` on a fresh home,
a period's files copied into the landing folder `status` names, and the finance pack for
that period appears under the output folder with no other command: the scheduler runs
ingest_landing, the Asset-triggered transform and the pack DAG (no dag.test()). Then
`service down` leaves no process and no port behind."""

from __future__ import annotations

import time

import pytest

from . import helpers
from .conftest import needs_scheduler

@pytest.fixture
def service(tmp_path_factory):
    home = tmp_path_factory.mktemp("service-home")
    env = helpers.clean_env(home)
    yield home, env
    helpers.stop_everything(env, home)


@needs_scheduler
def test_files_dropped_into_the_landing_folder_become_the_period_pack(service, simulated):
    home, env = service
    started = time.monotonic()
    up = helpers.cli(env, "service", "up", timeout=600)
    for name in ("scheduler", "dag-processor", "triggerer", "api-server"):
        assert f"started {name}" in up.stdout
    port = int(env["ONECOUNCIL_UI_PORT"])
    assert f"http://127.0.0.1:{port}" in up.stdout
    assert str(home / "airflow" / "simple_auth_manager_passwords.json.generated") in \
        up.stdout.replace("\n", "")
    # a second `up` starts nothing and stops nothing
    leaders = helpers.leaders(home)
    assert sorted(leaders) == ["api-server", "dag-processor", "scheduler", "triggerer"]
    again = helpers.cli(env, "service", "up", timeout=120)
    assert "already running" in again.stdout and "started" not in again.stdout
    assert helpers.leaders(home) == leaders
    procs = helpers.service_processes(home)
    # the UI listens on loopback only, and nothing of the service listens anywhere else
    assert helpers.listening(procs) == {("127.0.0.1", port)}

    landing = helpers.landing_named_by_status(env)
    assert landing == home / "landing" and landing.is_dir()
    dropped = helpers.drop_period(simulated, landing)

    # the JSON is written last, after the HTML and the PDF
    pack = home / "output" / "2025-26" / "P01" / "finance-outturn.json"
    helpers.wait_for(pack, 1500, env, home)  # 5-14 min on 2 shared cores
    document = helpers.pack_json(pack)
    assert pack.with_suffix(".html").exists() and pack.with_suffix(".pdf").exists()
    assert document["period"] == "P01" and document["fiscal_year"] == "2025-26"
    assert document["data_version"] and document["lineage"]["source_files"]
    took = time.monotonic() - started

    with helpers.warehouse_db(env) as conn:
        loaded = conn.execute("select count(*) from ops.files where outcome = 'loaded'"
                              ).fetchone()[0]
    assert loaded >= dropped - 1  # a simulated rerun of a day's file may be a duplicate
    with helpers.airflow_db(env) as conn:
        runs = set(conn.execute("select dag_id, run_type from dag_run where state = 'success' "
                                "or dag_id = 'monthly_packs'").fetchall())
        assert ("ingest_landing", "scheduled") in runs
        assert ("transform", "asset_triggered") in runs
        assert ("monthly_packs", "asset_triggered") in runs
        paused = conn.execute("select dag_id from dag where is_paused").fetchall()
        assert paused == [], f"DAGs paused in the service: {paused}"
    # every file left the landing folder once loaded
    assert not [p for p in landing.rglob("*") if p.is_file()]

    procs = helpers.service_processes(home)
    assert procs
    down = helpers.cli(env, "service", "down", timeout=180)
    assert "stopped" in down.stdout
    left = [p for p in procs if p.is_running() and p.status() != "zombie"]
    assert not left, f"left running: {[p.cmdline() for p in left]}"
    assert helpers.service_processes(home) == []
    from onecouncil.service.processes import port_open

    assert not port_open(port)
    status = helpers.cli(env, "service", "status", check=False)
    assert status.returncode == 3 and "running" not in status.stdout
    print(f"service up to finance pack on disk: {took:.0f}s")
