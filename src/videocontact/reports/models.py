"""The visit report: a sealed PDF, encrypted at rest in the evidence vault."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    BUILDING = "building", "building"
    READY = "ready", "ready"
    FAILED = "failed", "failed"


class ReportTrigger(models.TextChoices):
    VISIT_END = "visit_end", "visit_end"
    MANUAL = "manual", "manual"


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
    trigger = models.CharField(
        max_length=12, choices=ReportTrigger.choices, default=ReportTrigger.MANUAL
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The dedupe key of the build job (jobs app): retrying a failed build re-queues that job.
    job_key = models.CharField(max_length=200, blank=True)
    # Why the last build failed, as a code the panel translates (reports.errors.MESSAGES).
    error_code = models.CharField(max_length=40, blank=True)
    # Subject of the seal certificate used (what the PDF's signature says).
    sealed_by = models.CharField(max_length=300, blank=True)

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


class ReportSettings(models.Model):
    """What the report of a process contains and who gets it. No row means the defaults."""

    process = models.OneToOneField(
        "accounts.Process",
        on_delete=models.CASCADE,
        related_name="report_settings",
        verbose_name=_("process"),
    )
    include_notes = models.BooleanField(
        _("include the caseworker's internal notes"),
        default=True,
        help_text=_("The notes appear in a separate section of the report."),
    )
    resident_copy = models.BooleanField(
        _("the resident may download the report"),
        default=False,
        help_text=_("After the visit the resident's page offers the sealed report."),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return f"report settings of {self.process}"

    def clean(self) -> None:
        if self.resident_copy and self.include_notes:
            raise ValidationError(
                _(
                    "The resident cannot get a copy of a report with the caseworker's internal "
                    "notes. Leave the notes out of the report to offer the resident a copy."
                )
            )


class SealCertificate(models.Model):
    """The organisation's certificate that seals reports (PAdES). The private key lives in the
    evidence vault, encrypted; the database holds only the certificate chain and the key's
    blob name. Import with `manage.py import_seal_certificate`."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="seal_certificate"
    )
    subject = models.CharField(max_length=300)
    issuer = models.CharField(max_length=300)
    serial_number = models.CharField(max_length=80)
    fingerprint_sha256 = models.CharField(max_length=64)
    not_valid_before = models.DateTimeField()
    not_valid_after = models.DateTimeField()
    # The signing certificate first, then any intermediates (PEM).
    chain_pem = models.TextField()
    key_blob_name = models.CharField(max_length=200)
    key_id = models.CharField(max_length=40)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("seal certificate")

    def __str__(self) -> str:
        return f"{self.subject} ({self.fingerprint_sha256[:16]})"
