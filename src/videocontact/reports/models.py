"""The visit report: a sealed PDF, encrypted at rest in the evidence vault."""

from __future__ import annotations

import uuid

from django.db import models


class ReportState(models.TextChoices):
    BUILDING = "building", "building"
    READY = "ready", "ready"
    FAILED = "failed", "failed"


class Report(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey("visits.Visit", on_delete=models.CASCADE, related_name="reports")
    # 1, 2, … per visit: a report built again (after a reopened questionnaire) is a new version.
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=ReportState.choices, default="building")
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # The sealed PDF in the evidence vault (reports.services.report_read decrypts it).
    blob_name = models.CharField(max_length=200, blank=True)
    key_id = models.CharField(max_length=40, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    sealed = models.BooleanField(default=False)
    # The hash of the signed questionnaire the report shows, if it was signed.
    signature_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["visit", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "number"], name="one_report_number_per_visit")
        ]

    def __str__(self) -> str:
        return f"report {self.number} of visit {self.visit_id} ({self.state})"

    @property
    def filename(self) -> str:
        return f"verslag-{self.visit_id}-v{self.number}.pdf"
