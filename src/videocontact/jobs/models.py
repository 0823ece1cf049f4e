"""A durable background job: survives restarts, runs at most once successfully per dedupe key."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class Job(models.Model):
    kind = models.CharField(max_length=80, db_index=True, verbose_name=_("kind"))
    payload = models.JSONField(default=dict, blank=True, verbose_name=_("payload"))
    # Enqueueing the same key twice gives back the first job: a reminder or an export is never
    # scheduled twice, whatever restarts or double clicks happen.
    dedupe_key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, verbose_name=_("key against duplicates")
    )
    state = models.CharField(
        max_length=10, choices=JobState.choices, default=JobState.QUEUED, verbose_name=_("state")
    )
    run_at = models.DateTimeField(db_index=True, verbose_name=_("run at"))
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    max_attempts = models.PositiveIntegerField(default=8, verbose_name=_("most attempts"))
    locked_until = models.DateTimeField(null=True, blank=True, verbose_name=_("locked until"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["run_at", "id"]
        indexes = [models.Index(fields=["state", "run_at"], name="job_due")]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"


class WorkerHeartbeat(models.Model):
    """One row per running job worker, touched every JOBS_HEARTBEAT_SECONDS even when idle, so the
    readiness check can tell a dead worker from one that has nothing to do."""

    worker_id = models.CharField(max_length=100, primary_key=True, verbose_name=_("worker"))
    heartbeat_at = models.DateTimeField(db_index=True, verbose_name=_("last sign of life"))

    class Meta:
        verbose_name = _("sign of life of a worker")
        verbose_name_plural = _("signs of life of workers")

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.heartbeat_at:%H:%M:%S}"
