"""A job worker as its own process, for the worker-death test (tests/jobs/test_worker_death.py)
and bench/job_pickup.py. `python worker_proc.py migrate|enqueue|work` with DATABASE_URL set.

Its handler `test.sleep` sleeps for payload["seconds"] and appends "start;" and "done;" to the
file payload["log"], so the test sees a run that started and one that finished."""

from __future__ import annotations

import os
import sys
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocontact.conf.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from videocontact.jobs.registry import register  # noqa: E402
from videocontact.jobs.services import job_enqueue  # noqa: E402
from videocontact.jobs.worker import run_forever  # noqa: E402


@register("test.sleep")
def sleep(payload: dict[str, str]) -> None:
    with open(payload["log"], "a") as log:
        log.write("start;")
    time.sleep(float(payload["seconds"]))
    with open(payload["log"], "a") as log:
        log.write("done;")


def main(mode: str) -> None:
    if mode == "migrate":
        call_command("migrate", verbosity=0)
    elif mode == "enqueue":
        payload = {"seconds": sys.argv[2], "log": sys.argv[3]}
        print(job_enqueue(kind="test.sleep", payload=payload, max_attempts=3).pk)
    elif mode == "work":
        run_forever(threading.Event(), 0.2)


if __name__ == "__main__":
    main(sys.argv[1])
