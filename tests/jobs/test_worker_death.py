"""A job worker killed with SIGKILL mid-job: another worker takes the job up once the dead
worker's heartbeat (the job's lock, renewed every third of JOBS_LOCK_SECONDS) has lapsed.

Real processes on a shared SQLite file; the lock is 6 s here (24 s in production, measured by
bench/job_pickup.py)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

WORKER = Path(__file__).with_name("worker_proc.py")
LOCK_SECONDS = 6


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        JOBS_LOCK_SECONDS=str(LOCK_SECONDS),
        DJANGO_SETTINGS_MODULE="videocontact.conf.test",
        PYTHONPATH=os.pathsep.join([str(Path.cwd() / "src"), str(Path.cwd())]),
    )
    env.pop("REDIS_URL", None)
    return env


def _job(db: Path, job_id: int) -> tuple[str, int]:
    conn = sqlite3.connect(db, timeout=20)
    try:
        return conn.execute(
            "SELECT state, attempts FROM jobs_job WHERE id = ?", (job_id,)
        ).fetchone()
    finally:
        conn.close()


def _wait(check, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout}s")


def test_the_job_of_a_killed_worker_is_taken_up_within_the_lock_time(tmp_path: Path) -> None:
    db = tmp_path / "jobs.sqlite3"
    log = tmp_path / "runs.log"
    runs = lambda: log.read_text() if log.exists() else ""  # noqa: E731
    env = _env(db)
    run = [sys.executable, str(WORKER)]
    subprocess.run([*run, "migrate"], env=env, check=True, timeout=60)
    job_id = int(
        subprocess.run(
            [*run, "enqueue", "3", str(log)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.strip()
    )
    first = subprocess.Popen([*run, "work"], env=env)
    second = None
    try:
        _wait(lambda: runs() == "start;", timeout=30)
        # The other worker is already running, as in production: its start-up time under a
        # loaded machine is not what this test measures.
        second = subprocess.Popen([*run, "work"], env=env)
        time.sleep(2)
        assert runs() == "start;", "the second worker took a job whose worker is alive"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        taken_after = _wait(lambda: runs() == "start;start;", timeout=LOCK_SECONDS + 20)
        _wait(lambda: _job(db, job_id)[0] == "done", timeout=20)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    assert _job(db, job_id) == ("done", 2)
    assert runs() == "start;start;done;"
    # Free again at most LOCK_SECONDS after the last heartbeat (a third of it before the kill at
    # best), then one 0.2 s poll; 2 s of margin for a loaded machine.
    assert taken_after < LOCK_SECONDS + 2, taken_after
