from __future__ import annotations

from django.db.models import QuerySet

from videocontact.jobs.models import Job, JobState


def job_by_key(dedupe_key: str) -> Job | None:
    return Job.objects.filter(dedupe_key=dedupe_key).first()


def jobs_pending(kind: str | None = None) -> QuerySet[Job]:
    query = Job.objects.filter(state__in=[JobState.QUEUED, JobState.RUNNING])
    return query.filter(kind=kind) if kind else query
