"""API clients (case-management systems), idempotency records, webhooks and their delivery log."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from videocontact.accounts.models import Organisation, Unit


class Scope(models.TextChoices):
    VISITS_WRITE = "visits:write", _("Plan, change and cancel visits")
    RESULTS_READ = "results:read", _("Read results: answers, photos, reports, export state")
    STATISTICS_READ = "statistics:read", _("Read statistics")


ALL_SCOPES = [s.value for s in Scope]


class CredentialKind(models.TextChoices):
    SECRET = "secret", _("Bearer secret (stored hashed)")
    JWT = "jwt", _("JWT client credential (ZGW style, HS256)")


class ApiClient(models.Model):
    """One case-management system. It acts only for its units, within its scopes."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    client_id = models.SlugField(_("client id"), max_length=64, unique=True)
    kind = models.CharField(
        _("credential"), max_length=8, choices=CredentialKind.choices, default="secret"
    )
    # SECRET: HMAC-SHA256 of the 256-bit secret (a random secret needs no slow hash).
    secret_hash = models.CharField(max_length=64, blank=True, verbose_name=_("secret hash"))
    # JWT: HS256 needs the secret itself, so it is sealed in the evidence vault.
    secret_blob_name = models.CharField(
        max_length=200, blank=True, verbose_name=_("secret's file name in the vault")
    )
    secret_key_id = models.CharField(max_length=40, blank=True, verbose_name=_("secret's key ID"))
    scopes = models.JSONField(_("scopes"), default=list)
    units = models.ManyToManyField(Unit, related_name="api_clients", verbose_name=_("units"))
    rate_limit_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class RateWindow(models.Model):
    """Requests of one client in one minute: shared by every worker process."""

    client = models.ForeignKey(
        ApiClient, on_delete=models.CASCADE, related_name="+", verbose_name=_("API client")
    )
    minute = models.DateTimeField(verbose_name=_("minute"))
    count = models.PositiveIntegerField(default=0, verbose_name=_("count"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "minute"], name="one_rate_window_a_minute")
        ]
        verbose_name = _("API requests per minute")
        verbose_name_plural = _("API requests per minute")

    def __str__(self) -> str:
        return f"{self.client_id} {self.minute:%H:%M}: {self.count}"


class IdempotencyRecord(models.Model):
    """The answer to a creating request, replayed for a retry with the same Idempotency-Key.
    The answer holds join links, so it is sealed in the vault and kept for a day only."""

    client = models.ForeignKey(
        ApiClient, on_delete=models.CASCADE, related_name="+", verbose_name=_("API client")
    )
    key = models.CharField(max_length=255, verbose_name=_("key"))
    request_sha256 = models.CharField(max_length=64, verbose_name=_("request hash (SHA-256)"))
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("status code")
    )
    blob_name = models.CharField(
        max_length=200, blank=True, verbose_name=_("file name in the vault")
    )
    key_id = models.CharField(max_length=40, blank=True, verbose_name=_("key ID"))
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, verbose_name=_("created at")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="one_record_per_client_key")
        ]
        verbose_name = _("stored API answer")
        verbose_name_plural = _("stored API answers")

    def __str__(self) -> str:
        return f"{self.client_id}: {self.key}"


class WebhookEndpoint(models.Model):
    """Where a client wants to hear about state changes of the visits of its units."""

    client = models.ForeignKey(
        ApiClient, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("API client")
    )
    url = models.URLField(_("URL"), max_length=500)
    # Standard Webhooks: "whsec_" + base64 of the key; sealed in the vault, shown once.
    secret_blob_name = models.CharField(
        max_length=200, blank=True, verbose_name=_("secret's file name in the vault")
    )
    secret_key_id = models.CharField(max_length=40, blank=True, verbose_name=_("secret's key ID"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return f"{self.client.client_id} → {self.url}"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RETRYING = "retrying", _("Will try again")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event to one endpoint; attempts are retried by a job (jobs app)."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook"),
    )
    event_type = models.CharField(_("event"), max_length=60)
    visit_id = models.UUIDField(_("visit"), db_index=True)
    payload = models.JSONField(_("content"))
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default="queued"
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_status = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint.url} ({self.state})"


class AnnouncedState(models.Model):
    """The last state of a visit that was announced, so a webhook goes out once per change."""

    visit = models.OneToOneField(
        "visits.Visit", on_delete=models.CASCADE, related_name="+", verbose_name=_("visit")
    )
    state = models.CharField(max_length=12, verbose_name=_("state"))
    changed_at = models.DateTimeField(auto_now=True, verbose_name=_("changed at"))

    class Meta:
        verbose_name = _("announced state")
        verbose_name_plural = _("announced states")

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.state}"
