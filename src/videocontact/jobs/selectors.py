from __future__ import annotations

from datetime import datetime

from django.db.models import Max, QuerySet

from videocontact.jobs.models import Job, JobState, WorkerHeartbeat


def job_by_key(dedupe_key: str) -> Job | None:
    return Job.objects.filter(dedupe_key=dedupe_key).first()


def jobs_pending(kind: str | None = None) -> QuerySet[Job]:
    query = Job.objects.filter(state__in=[JobState.QUEUED, JobState.RUNNING])
    return query.filter(kind=kind) if kind else query


def worker_last_heartbeat() -> datetime | None:
    """The newest heartbeat of any job worker (None: no worker has ever reported)."""
    return WorkerHeartbeat.objects.aggregate(newest=Max("heartbeat_at"))["newest"]
