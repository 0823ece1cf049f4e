"""Enqueue, cancel and run background jobs (database-backed, so they survive restarts)."""

from __future__ import annotations

import os
import socket
import threading
import traceback
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from videocontact.jobs.models import Job, JobState, WorkerHeartbeat
from videocontact.jobs.registry import PermanentFailure, Retry, daily_kinds, handler_for
from videocontact.jobs.retry import jobs_policy

log = structlog.get_logger("jobs")

# This process's worker; a restarted worker is a new row (the old one ages out).
WORKER_ID = f"{socket.gethostname()[:60]}:{os.getpid()}"


def worker_heartbeat(*, worker_id: str = WORKER_ID) -> None:
    """This worker is alive now (idle or running a job); rows of workers gone a day are pruned."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"heartbeat_at": now})
    WorkerHeartbeat.objects.filter(heartbeat_at__lt=now - timedelta(days=1)).delete()


def worker_stopped(*, worker_id: str = WORKER_ID) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def job_enqueue(
    *,
    kind: str,
    payload: dict[str, Any] | None = None,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = 8,
) -> Job:
    """Schedule a job. With a dedupe key an existing job with that key is returned unchanged.

    Call it inside the service's transaction: the job exists exactly when the change does.
    """
    if dedupe_key is not None:
        existing = Job.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Job.objects.create(
                kind=kind,
                payload=payload or {},
                run_at=run_at or timezone.now(),
                dedupe_key=dedupe_key,
                max_attempts=max_attempts,
            )
    except IntegrityError:
        # Another worker enqueued the same key between our check and our insert.
        return Job.objects.get(dedupe_key=dedupe_key)


def job_cancel(*, dedupe_key: str) -> bool:
    """Cancel a job that has not run yet (a reminder for a visit that moved). True if cancelled."""
    return bool(
        Job.objects.filter(dedupe_key=dedupe_key, state=JobState.QUEUED).update(
            state=JobState.CANCELLED, finished_at=timezone.now()
        )
    )


def job_retry_now(*, job: Job) -> Job:
    """Put a failed job back in the queue (the 'try again' button)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state == JobState.FAILED:
            job.state = JobState.QUEUED
            job.run_at = timezone.now()
            job.attempts = 0
            job.max_attempts = max(job.max_attempts, 1)
            job.save(update_fields=["state", "run_at", "attempts", "max_attempts"])
    return job


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=jobs_policy().delay(attempts))


def _claim(now: datetime) -> Job | None:
    lock_for = timedelta(seconds=settings.JOBS_LOCK_SECONDS)
    due = Q(state=JobState.QUEUED, run_at__lte=now) | Q(
        state=JobState.RUNNING,
        locked_until__lt=now,  # its worker died: run it again
    )
    if not Job.objects.filter(due).exists():
        # Idle polls only read: no write transaction (on SQLite a database-wide lock) every poll.
        return None
    with transaction.atomic():
        query = Job.objects.filter(due).order_by("run_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True)
        job = query.first()
        if job is None:
            return None
        job.state = JobState.RUNNING
        job.attempts += 1
        job.locked_until = now + lock_for
        job.save(update_fields=["state", "attempts", "locked_until"])
        return job


def _finish(job: Job, **fields: Any) -> None:
    fields.setdefault("locked_until", None)
    Job.objects.filter(pk=job.pk).update(**fields)


def _keep_locked(job_id: int, stop: threading.Event) -> None:
    """The worker's heartbeat: while a job runs, push its lock forward (every third of the lock
    time), so a long job (an export of many photos) is never taken for the job of a dead worker
    and run twice, while a dead worker's job is free again within JOBS_LOCK_SECONDS."""
    lock_seconds = settings.JOBS_LOCK_SECONDS
    try:
        while not stop.wait(lock_seconds / 3):
            Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
                locked_until=timezone.now() + timedelta(seconds=lock_seconds)
            )
            worker_heartbeat()  # a long job is not a stale worker
    finally:
        connection.close()  # this thread's own connection


def run_job(job: Job, now: datetime) -> None:
    handler = handler_for(job.kind)
    stop = threading.Event()
    heartbeat = threading.Thread(
        target=_keep_locked, args=(job.pk, stop), name=f"job-{job.pk}-lock", daemon=True
    )
    heartbeat.start()
    try:
        if handler is None:
            raise PermanentFailure(f"no handler registered for {job.kind!r}")
        handler(job.payload)
    except Retry as exc:
        _finish(
            job,
            state=JobState.QUEUED,
            attempts=job.attempts - 1,
            run_at=now + timedelta(seconds=exc.after_seconds),
            last_error=str(exc),
        )
    except Exception as exc:
        permanent = isinstance(exc, PermanentFailure) or job.attempts >= job.max_attempts
        error = f"{type(exc).__name__}: {exc}"
        log.warning("job.error", job=job.pk, kind=job.kind, error=error, final=permanent)
        if permanent:
            _finish(job, state=JobState.FAILED, last_error=error, finished_at=timezone.now())
        else:
            detail = error + "\n" + traceback.format_exc(limit=3)
            _finish(
                job, state=JobState.QUEUED, run_at=now + _backoff(job.attempts), last_error=detail
            )
    else:
        _finish(job, state=JobState.DONE, last_error="", finished_at=timezone.now())
    finally:
        stop.set()
        heartbeat.join()


def schedule_daily(*, now: datetime | None = None) -> list[Job]:
    """Today's run of every daily job, once: the dedupe key names the day, so any number of
    workers calling this (every loop) enqueue one job per kind per day."""
    local = timezone.localtime(now or timezone.now())
    jobs = []
    for kind, hour in daily_kinds().items():
        run_at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
        jobs.append(
            job_enqueue(kind=kind, run_at=run_at, dedupe_key=f"{kind}:{local.date().isoformat()}")
        )
    return jobs


def run_due(*, now: datetime | None = None, limit: int = 100) -> int:
    """Run the jobs that are due at `now` (default: the current time). Returns how many ran."""
    ran = 0
    while ran < limit:
        moment = now or timezone.now()
        job = _claim(moment)
        if job is None:
            break
        run_job(job, moment)
        ran += 1
    return ran
