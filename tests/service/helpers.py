"""Running `onecouncil service` in a fresh home of its own, and stopping it whatever happens."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil

ONECOUNCIL = str(Path(sys.executable).with_name("onecouncil"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """This process's environment without any Airflow setting another test put there."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIRFLOW", "ONECOUNCIL_"))}
    env.update({
        "ONECOUNCIL_HOME": str(home),
        "ONECOUNCIL_UI_PORT": str(free_port()),
        # files are polled every minute instead of every quarter-hour
        "ONECOUNCIL_LANDING_SCHEDULE": "* * * * *",
        # the files are complete when copied: no need to wait for them to settle
        "ONECOUNCIL_SETTLE_SECONDS": "0",
        # the machine is shared: two task processes at a time
        "AIRFLOW__CORE__PARALLELISM": "2",
    })
    env.update(extra)
    return env


def cli(env: dict[str, str], *args: str, timeout: float = 600, check: bool = True
        ) -> subprocess.CompletedProcess:
    done = subprocess.run([ONECOUNCIL, *args], env=env, capture_output=True, text=True,
                          timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"onecouncil {' '.join(args)} exited {done.returncode}:\n"
                             f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def landing_named_by_status(env: dict[str, str]) -> Path:
    out = cli(env, "service", "status").stdout
    line = next(x for x in out.splitlines() if x.strip().startswith("landing folder:"))
    return Path(line.split(":", 1)[1].strip())


def drop_period(simulated: Path, landing: Path) -> int:
    """Copy a simulated period's files into the landing folder, each written beside its
    place and renamed in, as an SFTP upload finishes; the number of files."""
    n = 0
    for path in sorted(simulated.rglob("*")):
        rel = path.relative_to(simulated)
        if not path.is_file() or rel.parts[0].startswith("_"):
            continue
        target = landing / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copy2(path, partial)
        partial.rename(target)
        n += 1
    return n


def leaders(home: Path) -> dict[str, int]:
    """The pid of each running component, from its pid file."""
    from onecouncil.service import processes

    run_dir = home / "run"
    return {n: r.pid for n in processes.recorded(run_dir)
            if (r := processes.running(run_dir, n))}


def service_processes(home: Path) -> list[psutil.Process]:
    """Every process started for this home: the recorded ones, their trees, and anything
    else running with this ONECOUNCIL_HOME in its environment."""
    from onecouncil.service import processes

    run_dir = home / "run"
    leaders = []
    for name in processes.recorded(run_dir):
        r = processes.running(run_dir, name)
        if r:
            leaders.append(r.pid)
    found = {p.pid: p for p in processes.tree(leaders)}
    for p in psutil.process_iter():
        try:
            if p.environ().get("ONECOUNCIL_HOME") == str(home) and p.pid != os.getpid():
                name = " ".join(p.cmdline())
                if "postgres" not in name:  # the warehouse is stopped separately
                    found[p.pid] = p
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return [p for p in found.values() if p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE]


def listening(procs: list[psutil.Process]) -> set[tuple[str, int]]:
    found = set()
    for p in procs:
        try:
            for c in p.net_connections(kind="inet"):
                if c.status == psutil.CONN_LISTEN:
                    found.add((c.laddr.ip, c.laddr.port))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def stop_everything(env: dict[str, str], home: Path) -> None:
    """The finaliser: the service, anything left of it, then the warehouse."""
    cli(env, "service", "down", timeout=180, check=False)
    for p in service_processes(home):
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    cli(env, "warehouse", "down", timeout=120, check=False)


def airflow_db(env: dict[str, str]):
    import psycopg

    url = cli(env, "warehouse", "url").stdout.strip()
    return psycopg.connect(url.replace("/warehouse?", "/airflow?", 1), autocommit=True)


def warehouse_db(env: dict[str, str]):
    import psycopg

    return psycopg.connect(cli(env, "warehouse", "url").stdout.strip(), autocommit=True)


def wait_for(path: Path, timeout: float, env: dict[str, str], home: Path) -> None:
    """Wait until `path` exists; on timeout, fail with what the DAG runs and logs say."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return
        time.sleep(3)
    raise AssertionError(f"{path} did not appear within {timeout:.0f}s\n" + diagnose(env, home))


def diagnose(env: dict[str, str], home: Path) -> str:
    lines = []
    try:
        with airflow_db(env) as conn:
            for row in conn.execute(
                    "select dag_id, run_type, state, run_after from dag_run order by run_after"):
                lines.append(f"run {row}")
            for row in conn.execute(
                    "select dag_id, task_id, state, hostname from task_instance "
                    "where state not in ('success', 'skipped') order by start_date"):
                lines.append(f"task {row}")
    except Exception as e:  # noqa: BLE001 - diagnostics only
        lines.append(f"could not read the airflow database: {e}")
    for log in sorted((home / "logs" / "service").glob("*.log")):
        lines.append(f"--- {log.name}\n" + "\n".join(log.read_text().splitlines()[-15:]))
    return "\n".join(lines)


def pack_json(path: Path) -> dict:
    return json.loads(path.read_text())
