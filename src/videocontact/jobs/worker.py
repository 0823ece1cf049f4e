"""The job loop: `manage.py run_jobs` in production, a thread inside the server in embedded mode."""

from __future__ import annotations

import threading

import structlog
from django.db import close_old_connections, connections

from videocontact.jobs.services import run_due, schedule_daily

log = structlog.get_logger("jobs")


def run_forever(stop: threading.Event, poll_seconds: float) -> None:
    log.info("jobs.worker_started", poll=poll_seconds)
    while not stop.is_set():
        try:
            close_old_connections()
            schedule_daily()
            ran = run_due()
        except Exception:  # the loop must outlive a broken database connection
            log.exception("jobs.loop_error")
            ran = 0
        if not ran:
            stop.wait(poll_seconds)
    connections.close_all()  # this thread's connections: nothing may hold the database open


def start_in_background(poll_seconds: float) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(stop, poll_seconds), name="jobs-worker", daemon=True
    )
    thread.start()
    return thread, stop
