"""Stopping the service's processes: whole trees, TERM-ignoring workers included."""

from __future__ import annotations

import os
import sys
import time

import psutil

from onecouncil.service import processes

# A leader that ignores TERM and starts two children that ignore it too, one of them in
# a process group of its own (as Airflow's task supervisors are), then waits.
STUBBORN = r"""
import os, signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
a = subprocess.Popen([sys.executable, "-c", child])
b = subprocess.Popen([sys.executable, "-c", child], process_group=0)
print(a.pid, b.pid, flush=True)
time.sleep(600)
"""


def _wait_for_children(pid: int, n: int) -> list[int]:
    leader = psutil.Process(pid)
    assert processes.wait_until(lambda: len(leader.children()) >= n, 20)
    return [c.pid for c in leader.children()]


def test_start_records_the_process_and_stop_tree_kills_what_ignores_term(tmp_path):
    run_dir, log = tmp_path / "run", tmp_path / "logs" / "stubborn.log"
    started = processes.start("stubborn", [sys.executable, "-c", STUBBORN], dict(os.environ),
                              run_dir, log, cwd=tmp_path)
    children = _wait_for_children(started.pid, 2)
    assert processes.running(run_dir, "stubborn").pid == started.pid
    assert processes.recorded(run_dir) == ["stubborn"]
    assert os.getpgid(started.pid) == started.pid  # a session and group of its own

    t0 = time.monotonic()
    killed = processes.stop_tree([started.pid], grace=1.0)
    assert killed == 3  # the leader and both children ignored TERM
    assert time.monotonic() - t0 < 10
    for pid in [started.pid, *children]:
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert processes.running(run_dir, "stubborn") is None
    assert "starting" in log.read_text()


def test_a_pid_file_of_another_process_is_not_taken_for_ours(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    # our own pid, recorded with another start time: a pid reused after a reboot
    (run_dir / "scheduler.pid").write_text(f'{{"pid": {os.getpid()}, "started": 1.0}}\n')
    assert processes.running(run_dir, "scheduler") is None
    (run_dir / "broken.pid").write_text("not json")
    assert processes.running(run_dir, "broken") is None


def test_a_process_stays_ours_when_the_system_clock_is_set_after_it_started(tmp_path):
    """The wall-clock start time psutil gives moves with the clock (an NTP step, a VM
    resumed): the recorded start in ticks since boot does not. A loaded run of the suite
    saw `service down` take a running service for stopped, forget its pid files and leave
    it running."""
    import json

    run_dir, log = tmp_path / "run", tmp_path / "logs" / "sleeper.log"
    started = processes.start("sleeper", [sys.executable, "-c", "import time; time.sleep(600)"],
                              dict(os.environ), run_dir, log, cwd=tmp_path)
    try:
        pid_file = run_dir / "sleeper.pid"
        record = json.loads(pid_file.read_text())
        assert record["start_ticks"] == round(
            psutil.Process(started.pid)._proc.create_time(monotonic=True)
            * os.sysconf("SC_CLK_TCK"))
        # as if the clock had been set an hour back after the process started
        pid_file.write_text(json.dumps({**record, "started": record["started"] + 3600}))
        assert processes.running(run_dir, "sleeper").pid == started.pid
        # another process with the same pid (a reuse): other ticks, or another boot
        pid_file.write_text(json.dumps({**record, "start_ticks": record["start_ticks"] - 5}))
        assert processes.running(run_dir, "sleeper") is None
        pid_file.write_text(json.dumps({**record, "boot_id": "another-boot"}))
        assert processes.running(run_dir, "sleeper") is None
    finally:
        processes.stop_tree([started.pid], grace=1.0)


def test_port_open_sees_a_listener_and_its_end():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert processes.port_open(port)
    assert not processes.port_open(port)


def test_the_dag_files_are_parsed_every_five_minutes_unless_the_operator_says(
        warehouse, settings, monkeypatch):
    """Airflow parses every DAG file every 30 s; they change only with an upgrade."""
    from onecouncil import service

    key = "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL"
    monkeypatch.delenv(key, raising=False)
    assert service.service_env(settings)[key] == "300"
    monkeypatch.setenv(key, "30")
    assert service.service_env(settings)[key] == "30"
