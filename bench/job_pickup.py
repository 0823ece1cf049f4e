"""Benchmark: a job worker is killed (SIGKILL) mid-job; how long until another worker takes the
job up? Real worker processes (tests/jobs/worker_proc.py) on a shared SQLite file, with the
production lock (JOBS_LOCK_SECONDS=24, renewed every 8 s while the job runs).

    .venv/bin/python bench/job_pickup.py [--lock 24] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKER = ROOT / "tests" / "jobs" / "worker_proc.py"


def once(lock: int) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    db, log = work / "jobs.sqlite3", work / "runs.log"
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db}",
        JOBS_LOCK_SECONDS=str(lock),
        DJANGO_SETTINGS_MODULE="videocontact.conf.test",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    env.pop("REDIS_URL", None)
    run = [sys.executable, str(WORKER)]
    subprocess.run([*run, "migrate"], env=env, check=True)
    job = int(
        subprocess.run(
            [*run, "enqueue", "1", str(log)], env=env, check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    first = subprocess.Popen([*run, "work"], env=env)
    while not (log.exists() and log.read_text() == "start;"):
        time.sleep(0.05)
    started = time.monotonic()
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed = time.monotonic()
    second = subprocess.Popen([*run, "work"], env=env)
    try:
        while log.read_text().count("start;") < 2:
            time.sleep(0.05)
        picked = time.monotonic()
        while True:
            conn = sqlite3.connect(db, timeout=20)
            state = conn.execute("SELECT state FROM jobs_job WHERE id = ?", (job,)).fetchone()[0]
            conn.close()
            if state == "done":
                break
            time.sleep(0.1)
    finally:
        second.kill()
        second.wait()
    return {
        "lock_s": lock,
        "picked_up_after_kill_s": round(picked - killed, 2),
        "ran_before_kill_s": round(killed - started, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lock", type=int, default=24)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.runs):
        print(json.dumps(once(args.lock)))


if __name__ == "__main__":
    main()
