"""A durable background job: survives restarts, runs at most once successfully per dedupe key."""

from __future__ import annotations

from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    DONE = "done", "done"
    FAILED = "failed", "failed"
    CANCELLED = "cancelled", "cancelled"


class Job(models.Model):
    kind = models.CharField(max_length=80, db_index=True)
    payload = models.JSONField(default=dict, blank=True)
    # Enqueueing the same key twice gives back the first job: a reminder or an export is never
    # scheduled twice, whatever restarts or double clicks happen.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    run_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=8)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run_at", "id"]
        indexes = [models.Index(fields=["state", "run_at"], name="job_due")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"


class WorkerHeartbeat(models.Model):
    """One row per running job worker, touched every JOBS_HEARTBEAT_SECONDS even when idle, so the
    readiness check can tell a dead worker from one that has nothing to do."""

    worker_id = models.CharField(max_length=100, primary_key=True)
    heartbeat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.heartbeat_at:%H:%M:%S}"
