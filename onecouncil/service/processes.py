"""Background processes with pid files, and stopping a whole process tree.

Each process starts in its own session (its own process group), writes its output
to a log file and its pid (with its start time, so a reused pid is never taken for
it) to `<run dir>/<name>.pid`. The start time that identifies it is the kernel's, in
clock ticks since boot, with the boot's id: a wall-clock start time moves when the
system clock is set, and a process would no longer be known as ours. Stopping sends
TERM to the process, every descendant and everything left in its process group
(executor workers that were re-parented included), waits a grace period, then KILLs
what still runs: Airflow's executor workers ignore TERM.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil


@dataclass(frozen=True)
class Running:
    name: str
    pid: int
    started: datetime  # UTC

    @property
    def process(self) -> psutil.Process:
        return psutil.Process(self.pid)


def _pid_file(run_dir: Path, name: str) -> Path:
    return run_dir / f"{name}.pid"


def start(name: str, argv: list[str], env: dict[str, str], run_dir: Path, log_file: Path,
          cwd: Path) -> Running:
    """Start `argv` detached (new session), output appended to `log_file`; record its pid."""
    run_dir.mkdir(parents=True, exist_ok=True)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as log:
        log.write(f"\n--- {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC: starting "
                  f"{' '.join(argv)}\n".encode())
        log.flush()
        child = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, start_new_session=True)
    started = psutil.Process(child.pid).create_time()
    _pid_file(run_dir, name).write_text(json.dumps({
        "pid": child.pid, "started": started, "boot_id": _boot_id(),
        "start_ticks": _start_ticks(child.pid), "argv": argv}) + "\n")
    return Running(name, child.pid, datetime.fromtimestamp(started, UTC))


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None


def _start_ticks(pid: int) -> int | None:
    """When the process started, in clock ticks since boot (/proc/<pid>/stat, field 22):
    fixed for the process's life, whatever happens to the system clock."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[19])


def _same_process(proc: psutil.Process, record: dict) -> bool:
    ticks, boot, now = record.get("start_ticks"), record.get("boot_id"), _boot_id()
    if ticks is not None and boot is not None and now is not None:
        return boot == now and _start_ticks(proc.pid) == ticks
    # a pid file from before the ticks were kept, or no /proc: the wall clock's start time
    return abs(proc.create_time() - record["started"]) < 1


def running(run_dir: Path, name: str) -> Running | None:
    """The process recorded for `name`, if it still runs (same pid and same start time)."""
    path = _pid_file(run_dir, name)
    try:
        record = json.loads(path.read_text())
        proc = psutil.Process(record["pid"])
        alive = _same_process(proc, record) and proc.status() != psutil.STATUS_ZOMBIE
    except (FileNotFoundError, ValueError, KeyError, psutil.NoSuchProcess):
        alive = False
    if not alive:
        return None
    return Running(name, record["pid"], datetime.fromtimestamp(record["started"], UTC))


def recorded(run_dir: Path) -> list[str]:
    return sorted(p.stem for p in run_dir.glob("*.pid")) if run_dir.is_dir() else []


def forget(run_dir: Path, name: str) -> None:
    _pid_file(run_dir, name).unlink(missing_ok=True)


def tree(leaders: list[int]) -> list[psutil.Process]:
    """The leaders, all their descendants, and every process still in their groups or
    sessions."""
    found: dict[int, psutil.Process] = {}
    for pid in leaders:
        try:
            leader = psutil.Process(pid)
        except psutil.NoSuchProcess:
            continue
        for p in [leader, *leader.children(recursive=True)]:
            found[p.pid] = p
    groups = set(leaders)
    for p in psutil.process_iter():
        try:
            # Airflow's task supervisors make their own group, in the leader's session.
            if p.pid not in found and (os.getpgid(p.pid) in groups or os.getsid(p.pid) in groups):
                found[p.pid] = p
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return [p for p in found.values() if p.pid != os.getpid()]


def stop_tree(leaders: list[int], grace: float = 10.0) -> int:
    """TERM every process of the tree, KILL what is left after `grace` seconds; the number
    of processes that had to be killed."""
    procs = tree(leaders)
    for p in procs:
        try:
            p.send_signal(signal.SIGTERM)
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace)
    # A process may have started a child while shutting down: take the tree again.
    alive = {p.pid: p for p in alive}
    alive.update({p.pid: p for p in tree(leaders) if p.is_running()})
    for p in alive.values():
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(list(alive.values()), timeout=5)
    return len(alive)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Something listens on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def wait_until(condition, timeout: float, every: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()
