"""The visit report: a sealed PDF, encrypted at rest in the evidence vault."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    BUILDING = "building", _("building")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class ReportTrigger(models.TextChoices):
    VISIT_END = "visit_end", _("end of the visit")
    MANUAL = "manual", _("manual")


class Report(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.CASCADE, related_name="reports", verbose_name=_("visit")
    )
    # 1, 2, … per visit: a report built again (after a reopened questionnaire) is a new version.
    number = models.PositiveIntegerField(verbose_name=_("number"))
    state = models.CharField(
        max_length=10, choices=ReportState.choices, default="building", verbose_name=_("state")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    ready_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ready at"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    # The sealed PDF in the evidence vault (reports.services.report_read decrypts it).
    blob_name = models.CharField(
        max_length=200, blank=True, verbose_name=_("file name in the vault")
    )
    key_id = models.CharField(max_length=40, blank=True, verbose_name=_("key ID"))
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("hash (SHA-256)"))
    size = models.PositiveIntegerField(default=0, verbose_name=_("size (bytes)"))
    sealed = models.BooleanField(default=False, verbose_name=_("sealed"))
    # The hash of the signed questionnaire the report shows, if it was signed.
    signature_sha256 = models.CharField(
        max_length=64, blank=True, verbose_name=_("signature hash (SHA-256)")
    )
    trigger = models.CharField(
        max_length=12,
        choices=ReportTrigger.choices,
        default=ReportTrigger.MANUAL,
        verbose_name=_("reason made"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The dedupe key of the build job (jobs app): retrying a failed build re-queues that job.
    job_key = models.CharField(max_length=200, blank=True, verbose_name=_("job key"))
    # Why the last build failed, as a code the panel translates (reports.errors.MESSAGES).
    error_code = models.CharField(max_length=40, blank=True, verbose_name=_("error code"))
    # Subject of the seal certificate used (what the PDF's signature says).
    sealed_by = models.CharField(max_length=300, blank=True, verbose_name=_("sealed by"))

    class Meta:
        ordering = ["visit", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "number"], name="one_report_number_per_visit")
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

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
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="seal_certificate",
        verbose_name=_("organisation"),
    )
    subject = models.CharField(max_length=300, verbose_name=_("subject"))
    issuer = models.CharField(max_length=300, verbose_name=_("issuer"))
    serial_number = models.CharField(max_length=80, verbose_name=_("serial number"))
    fingerprint_sha256 = models.CharField(max_length=64, verbose_name=_("fingerprint (SHA-256)"))
    not_valid_before = models.DateTimeField(verbose_name=_("valid from"))
    not_valid_after = models.DateTimeField(verbose_name=_("valid until"))
    # The signing certificate first, then any intermediates (PEM).
    chain_pem = models.TextField(verbose_name=_("certificate chain (PEM)"))
    key_blob_name = models.CharField(max_length=200, verbose_name=_("key file name in the vault"))
    key_id = models.CharField(max_length=40, verbose_name=_("key ID"))
    imported_at = models.DateTimeField(auto_now=True, verbose_name=_("imported at"))

    class Meta:
        verbose_name = _("seal certificate")
        verbose_name_plural = _("seal certificates")

    def __str__(self) -> str:
        return f"{self.subject} ({self.fingerprint_sha256[:16]})"
