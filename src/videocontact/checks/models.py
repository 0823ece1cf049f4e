"""The location check: with the resident's consent their browser shares its position once; the
caseworker sees the distance to the registered address. The position itself is kept only where
the process allows it (LocationSettings.keep_coordinates, off by default)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LocationSettings(models.Model):
    """Per process: whether the resident's coordinates may be stored (default: only the distance)."""

    process = models.OneToOneField(
        "accounts.Process",
        on_delete=models.CASCADE,
        related_name="location_settings",
        verbose_name=_("process"),
    )
    keep_coordinates = models.BooleanField(
        _("store the resident's coordinates"),
        default=False,
        help_text=_("Off: only the distance to the address and the outcome are stored."),
    )

    class Meta:
        verbose_name = _("location check settings")
        verbose_name_plural = _("location check settings")

    def __str__(self) -> str:
        return f"location check settings of {self.process_id}"


class CheckState(models.TextChoices):
    ASKED = "asked", _("Asked")
    DECLINED = "declined", _("Declined")
    UNAVAILABLE = "unavailable", _("Location not available")
    FAILED = "failed", _("Failed")
    DONE = "done", _("Done")


class Outcome(models.TextChoices):
    AT_ADDRESS = "at_address", _("At the address")
    ELSEWHERE = "elsewhere", _("Not at the address")
    UNCERTAIN = "uncertain", _("Too inaccurate to tell")


class LocationCheck(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.CASCADE,
        related_name="location_checks",
        verbose_name=_("visit"),
    )
    participant = models.ForeignKey(
        "visits.Participant",
        on_delete=models.CASCADE,
        related_name="location_checks",
        verbose_name=_("participant"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(default=timezone.now, verbose_name=_("requested at"))
    address = models.CharField(max_length=200, verbose_name=_("registered address"))
    state = models.CharField(
        max_length=12, choices=CheckState.choices, default=CheckState.ASKED, verbose_name=_("state")
    )
    reason = models.CharField(max_length=40, blank=True, verbose_name=_("reason"))
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))
    address_label = models.CharField(max_length=200, blank=True, verbose_name=_("address found"))
    distance_m = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("distance (m)"))
    accuracy_m = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("accuracy (m)"))
    outcome = models.CharField(
        max_length=12, choices=Outcome.choices, blank=True, verbose_name=_("outcome")
    )
    # Only with LocationSettings.keep_coordinates; otherwise never written.
    latitude = models.FloatField(null=True, blank=True, verbose_name=_("latitude"))
    longitude = models.FloatField(null=True, blank=True, verbose_name=_("longitude"))

    class Meta:
        verbose_name = _("location check")
        verbose_name_plural = _("location checks")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"location check {self.id} ({self.state})"
