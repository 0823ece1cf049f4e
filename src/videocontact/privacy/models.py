"""Append-only audit trail and consent records."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditEvent(models.Model):
    """Who did what to which object, when. Rows are never updated or deleted by the app."""

    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("time"))
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("staff member who acted"),
    )
    actor_participant_id = models.UUIDField(
        null=True, blank=True, verbose_name=_("participant who acted")
    )
    action = models.CharField(max_length=80, db_index=True, verbose_name=_("action"))
    object_type = models.CharField(max_length=60, verbose_name=_("object type"))
    object_id = models.CharField(max_length=64, verbose_name=_("object ID"))
    visit_id = models.UUIDField(null=True, blank=True, db_index=True, verbose_name=_("visit"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    # The hash chain (privacy.chain): each event seals the previous event's hash and its own
    # canonical content, so a changed, removed or inserted event breaks every link after it.
    prev_hash = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("previous hash")
    )
    hash = models.CharField(
        max_length=64, blank=True, default="", db_index=True, verbose_name=_("hash")
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit events are append-only")


class AuditChainHead(models.Model):
    """One row: the hash of the newest audit event. Writers lock it, so concurrent transactions
    still make one chain (a row lock on PostgreSQL; SQLite locks the whole database anyway)."""

    last_hash = models.CharField(max_length=64, blank=True, default="", verbose_name=_("last hash"))
    last_event_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("last event ID"))

    class Meta:
        verbose_name = _("end of the audit chain")
        verbose_name_plural = _("ends of the audit chain")

    def __str__(self) -> str:
        return f"audit chain at {self.last_event_id}"


class ConsentDecision(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class ConsentRecord(models.Model):
    participant = models.ForeignKey(
        "visits.Participant",
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("participant"),
    )
    decision = models.CharField(
        max_length=10, choices=ConsentDecision.choices, verbose_name=_("decision")
    )
    text_version = models.CharField(max_length=40, verbose_name=_("text version"))
    language = models.CharField(max_length=8, verbose_name=_("language"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("time"))

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.decision} by {self.participant_id} ({self.text_version})"


class RetentionClock(models.Model):
    """When a visit's data may be purged: started once its report is safely filed (or, with
    download as the only export, once the report is ready). The purge itself reads purge_after."""

    visit = models.OneToOneField(
        "visits.Visit",
        on_delete=models.CASCADE,
        related_name="retention_clock",
        verbose_name=_("visit"),
    )
    started_at = models.DateTimeField(verbose_name=_("started at"))
    purge_after = models.DateTimeField(db_index=True, verbose_name=_("delete after"))
    # Why the clock started: "exported" (all filing targets done) or "report_ready" (download only).
    reason = models.CharField(max_length=20, verbose_name=_("reason"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # Set once every purger has run for the visit (privacy.purge): the visit is not looked at again.
    purged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("deleted at"))

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")

    def __str__(self) -> str:
        return f"retention of visit {self.visit_id} until {self.purge_after:%Y-%m-%d}"


class LegalHold(models.Model):
    """Keeps a visit's data past its retention term (an objection, a court case). Set and lifted
    by the privacy officer; while one is active (not lifted), the purge passes the visit by."""

    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.CASCADE,
        related_name="legal_holds",
        verbose_name=_("visit"),
    )
    reason = models.CharField(max_length=300, verbose_name=_("reason"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(auto_now_add=True, verbose_name=_("set at"))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lifted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("lifted at"))

    class Meta:
        ordering = ["-set_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return f"legal hold on {self.visit_id}"


class DpiaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class GatedModule(models.TextChoices):
    """Modules that stay off until the organisation's privacy officer recorded an approved DPIA
    for them and switched them on (privacy.modules)."""

    LOCATION_CHECK = "location-check", _("Location check")
    ID_CHECK = "id-check", _("Identity document check")


class Dpia(models.Model):
    """The privacy officer's DPIA registry: one data-protection impact assessment of a
    processing (a module such as the location check, or a process), its outcome and review."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="dpias",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    processing = models.TextField(_("processing assessed"))
    module = models.SlugField(
        _("module"),
        blank=True,
        choices=GatedModule.choices,
        help_text=_("A DPIA-gated module this DPIA covers, if any."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DpiaStatus.choices, default=DpiaStatus.DRAFT
    )
    document_reference = models.CharField(_("document reference"), max_length=200, blank=True)
    decided_at = models.DateField(_("decided on"), null=True, blank=True)
    review_due = models.DateField(_("review due"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["organisation", "title"]
        verbose_name = "DPIA"
        verbose_name_plural = _("DPIAs")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"


class ModuleSwitch(models.Model):
    """Whether a DPIA-gated module is on for an organisation. Switched by its privacy officer
    (privacy.modules.module_switch, audited); on only while an approved DPIA covers it."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="module_switches",
        verbose_name=_("organisation"),
    )
    module = models.CharField(max_length=40, choices=GatedModule.choices, verbose_name=_("module"))
    enabled = models.BooleanField(default=False, verbose_name=_("on"))
    dpia = models.ForeignKey(
        Dpia,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="switches",
        verbose_name=_("DPIA"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(default=timezone.now, verbose_name=_("changed at"))

    class Meta:
        verbose_name = _("module switch")
        verbose_name_plural = _("module switches")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "module"], name="one_switch_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.module} {'on' if self.enabled else 'off'} for {self.organisation_id}"


class StorageKind(models.TextChoices):
    """What a process may store, each only after the privacy officer approved it."""

    PHOTOS = "photos", _("Photos")
    REPORT = "report", _("Report")
    NOTES = "notes", _("Internal notes")
    TRANSCRIPT = "transcript", _("Caption transcript")


class StorageApproval(models.Model):
    """The privacy officer's (FG) decision of what one process may store and for how long.

    Versioned and append-only: a change is the next version, never an edit. Until a process has
    a version, nothing of any kind is stored for its visits (privacy.approvals)."""

    process = models.ForeignKey(
        "accounts.Process",
        on_delete=models.CASCADE,
        related_name="storage_approvals",
        verbose_name=_("process"),
    )
    version = models.PositiveIntegerField(_("version"))
    photos = models.BooleanField(_("photos may be stored"), default=False)
    report = models.BooleanField(_("the report may be stored"), default=False)
    notes = models.BooleanField(_("internal notes may be stored"), default=False)
    transcript = models.BooleanField(_("a caption transcript may be stored"), default=False)
    retention_days = models.PositiveIntegerField(_("longest retention (days)"))
    note = models.CharField(_("basis (e.g. DPIA, processing register)"), max_length=300, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)

    class Meta:
        ordering = ["process", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["process", "version"], name="storage_approval_version")
        ]
        verbose_name = _("storage approval")
        verbose_name_plural = _("storage approvals")

    def __str__(self) -> str:
        return f"{self.process} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("a storage approval is never edited: approve a new version")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("storage approvals are kept: approve a new version")

    def allows(self, kind: str) -> bool:
        return bool(getattr(self, StorageKind(kind).value))
