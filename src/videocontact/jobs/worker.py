"""The job loop: `manage.py run_jobs` in production, a thread inside the server in embedded mode."""

from __future__ import annotations

import threading
import time

import structlog
from django.conf import settings
from django.db import close_old_connections, connections

from videocontact.jobs.services import run_due, schedule_daily, worker_heartbeat, worker_stopped

log = structlog.get_logger("jobs")


def run_forever(stop: threading.Event, poll_seconds: float) -> None:
    log.info("jobs.worker_started", poll=poll_seconds)
    beat_every = settings.JOBS_HEARTBEAT_SECONDS
    last_beat = -beat_every
    while not stop.is_set():
        try:
            close_old_connections()
            if time.monotonic() - last_beat >= beat_every:
                worker_heartbeat()  # /readyz tells a dead worker from an idle one by this
                last_beat = time.monotonic()
            schedule_daily()
            ran = run_due()
        except Exception:  # the loop must outlive a broken database connection
            log.exception("jobs.loop_error")
            ran = 0
        if not ran:
            stop.wait(poll_seconds)
    try:
        worker_stopped()  # a clean stop is not a stale worker
    except Exception:
        log.exception("jobs.stop_error")
    connections.close_all()  # this thread's connections: nothing may hold the database open


def start_in_background(poll_seconds: float) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(stop, poll_seconds), name="jobs-worker", daemon=True
    )
    thread.start()
    return thread, stop
