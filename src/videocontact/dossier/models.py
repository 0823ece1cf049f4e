"""Filing a visit's report (and photos) into the case file: export targets per process, and the
state of every export and of every item in it, so that retries never create duplicates."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

rsin = RegexValidator(r"^[0-9]{9}$", _("An RSIN has exactly 9 digits."))


class TargetKind(models.TextChoices):
    DOWNLOAD = "download", _("Download")
    ZGW = "zgw", _("Case file (ZGW Documenten and Zaken API)")
    WEBHOOK = "webhook", _("Signed webhook")


class Confidentiality(models.TextChoices):
    """`vertrouwelijkheidaanduiding` of the Documenten API."""

    OPENBAAR = "openbaar", "openbaar"
    BEPERKT_OPENBAAR = "beperkt_openbaar", "beperkt openbaar"
    INTERN = "intern", "intern"
    ZAAKVERTROUWELIJK = "zaakvertrouwelijk", "zaakvertrouwelijk"
    VERTROUWELIJK = "vertrouwelijk", "vertrouwelijk"
    CONFIDENTIEEL = "confidentieel", "confidentieel"
    GEHEIM = "geheim", "geheim"
    ZEER_GEHEIM = "zeer_geheim", "zeer geheim"


class ExportTarget(models.Model):
    """Where the reports of one process go. Configured in the admin by functional administrators.

    The secret (ZGW client secret, webhook signing secret) is never stored in plain text: either
    it is sealed in the evidence vault (`secret_blob_name`/`secret_key_id`, entered in the admin
    and never shown back), or `secret_env` names an environment variable that holds it.
    """

    process = models.ForeignKey(
        "accounts.Process",
        on_delete=models.CASCADE,
        related_name="export_targets",
        verbose_name=_("process"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TargetKind.choices)
    name = models.CharField(_("name"), max_length=120)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    # ZGW
    documenten_url = models.URLField(
        _("Documenten API base URL"),
        blank=True,
        help_text=_("For example https://documenten.example.nl/documenten/api/v1"),
    )
    zaken_url = models.URLField(
        _("Zaken API base URL"),
        blank=True,
        help_text=_("For example https://zaken.example.nl/zaken/api/v1"),
    )
    client_id = models.CharField(_("client id"), max_length=120, blank=True)
    user_id = models.CharField(
        _("user id in the token"), max_length=120, blank=True, default="open-videocontact"
    )
    user_representation = models.CharField(
        _("user name in the token"), max_length=120, blank=True, default="Open Videocontact"
    )
    bronorganisatie = models.CharField(
        _("RSIN of the organisation (bronorganisatie)"),
        max_length=9,
        blank=True,
        validators=[rsin],
    )
    informatieobjecttype = models.URLField(
        _("informatieobjecttype URL (Catalogi API)"), max_length=200, blank=True
    )
    vertrouwelijkheidaanduiding = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.VERTROUWELIJK,
    )

    # Webhook
    webhook_url = models.URLField(_("webhook URL"), blank=True)

    # The secret of either kind (see the class docstring).
    secret_blob_name = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        verbose_name=_("secret's file name in the vault"),
    )
    secret_key_id = models.CharField(
        max_length=40, blank=True, editable=False, verbose_name=_("secret's key ID")
    )
    secret_env = models.CharField(
        _("or: environment variable with the secret"),
        max_length=80,
        blank=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9_]*$", _("Use a name like VC_ZGW_SECRET."))],
    )

    class Meta:
        ordering = ["process", "name"]
        verbose_name = _("export target")
        verbose_name_plural = _("export targets")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def webhook_host(self) -> str:
        """The receiver's host only: a webhook URL may carry a capability token (a query or
        user:password), which must not reach the audit trail, logs or the visit page."""
        return urlsplit(self.webhook_url).hostname or ""

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_blob_name or self.secret_env)


class ExportState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RETRYING = "retrying", _("Will try again")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Export(models.Model):
    """One report sent to one target. Created when the report is ready; run by a job."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.CASCADE, related_name="exports", verbose_name=_("visit")
    )
    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="exports", verbose_name=_("report")
    )
    target = models.ForeignKey(
        ExportTarget, on_delete=models.PROTECT, related_name="exports", verbose_name=_("target")
    )
    state = models.CharField(
        max_length=10, choices=ExportState.choices, default="waiting", verbose_name=_("state")
    )
    # "Try again" starts a new run (a new job); attempts count within the run, for the backoff.
    run = models.PositiveIntegerField(default=1, verbose_name=_("run"))
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt at"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    # ZGW: the zaak the documents are linked to, once resolved from Visit.case_reference.
    zaak_url = models.URLField(max_length=1000, blank=True, verbose_name=_("case URL"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "target"], name="one_export_per_report_target"
            )
        ]
        verbose_name = _("export to the case system")
        verbose_name_plural = _("exports to the case system")

    def __str__(self) -> str:
        return f"export of {self.report} to {self.target} ({self.state})"

    @property
    def job_key(self) -> str:
        return f"dossier.export:{self.pk}:{self.run}"


class ItemKind(models.TextChoices):
    REPORT = "report", _("Report")
    PHOTO = "photo", _("Photo")


class ExportItem(models.Model):
    """One document of an export (the report, photo 1, photo 2, …) with its own state.

    `identificatie` is deterministic (OVC-<visit>-R<report number>, OVC-<visit>-F<n>): before a
    document is created the API is asked for it, so a retry after a lost response finds it
    instead of creating it again. Remote URLs are saved the moment they are known."""

    export = models.ForeignKey(
        Export, on_delete=models.CASCADE, related_name="items", verbose_name=_("export")
    )
    kind = models.CharField(max_length=10, choices=ItemKind.choices, verbose_name=_("kind"))
    photo = models.ForeignKey(
        "evidence.Photo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    position = models.PositiveIntegerField(
        verbose_name=_("position")
    )  # 0 for the report, n for photo n
    identificatie = models.CharField(max_length=40, verbose_name=_("identification"))
    sha256 = models.CharField(max_length=64, verbose_name=_("hash (SHA-256)"))
    state = models.CharField(
        max_length=10, choices=ExportState.choices, default="waiting", verbose_name=_("state")
    )
    document_url = models.URLField(max_length=1000, blank=True, verbose_name=_("document URL"))
    link_url = models.URLField(max_length=1000, blank=True, verbose_name=_("link URL"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))

    class Meta:
        ordering = ["export", "position"]
        constraints = [
            models.UniqueConstraint(fields=["export", "position"], name="one_item_per_position")
        ]
        verbose_name = _("part of an export")
        verbose_name_plural = _("parts of exports")

    def __str__(self) -> str:
        return f"{self.identificatie} ({self.state})"

    @property
    def remote_url(self) -> str:
        return self.document_url or self.link_url
