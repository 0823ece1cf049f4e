"""Live captions: a caption session per request, every participant's consent, the per-process
transcript setting, and transcript lines (only when the process keeps them)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaptionState(models.TextChoices):
    ASKING = "asking", _("Asking everyone for consent")
    ON = "on", _("Captions on")
    STOPPED = "stopped", _("Stopped")


class CaptionSession(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.CASCADE,
        related_name="caption_sessions",
        verbose_name=_("visit"),
    )
    state = models.CharField(max_length=8, choices=CaptionState.choices, verbose_name=_("state"))
    requested_by = models.ForeignKey(
        "visits.Participant", on_delete=models.CASCADE, verbose_name=_("requested by")
    )
    keep_transcript = models.BooleanField(
        default=False, verbose_name=_("keep the transcript")
    )  # copied from the process at the start
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    stopped_at = models.DateTimeField(null=True, blank=True, verbose_name=_("stopped at"))
    stop_reason = models.CharField(
        max_length=16, blank=True, verbose_name=_("reason for stopping")
    )  # declined | stopped | left

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("caption session")
        verbose_name_plural = _("caption sessions")

    def __str__(self) -> str:
        return f"captions {self.state} ({self.visit_id})"


class CaptionConsent(models.Model):
    """One participant's answer; `language` is the language they read captions in."""

    session = models.ForeignKey(
        CaptionSession, on_delete=models.CASCADE, related_name="consents", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        "visits.Participant", on_delete=models.CASCADE, verbose_name=_("participant")
    )
    accepted = models.BooleanField(verbose_name=_("accepted"))
    language = models.CharField(max_length=8, default="nl", verbose_name=_("language"))
    answered_at = models.DateTimeField(auto_now=True, verbose_name=_("answered at"))

    class Meta:
        unique_together = [("session", "participant")]
        verbose_name = _("caption consent")
        verbose_name_plural = _("caption consents")

    def __str__(self) -> str:
        return f"{self.participant_id}: {'yes' if self.accepted else 'no'}"


class CaptionSettings(models.Model):
    """Per process: whether the transcript of live captions is kept (default: no). A kept
    transcript belongs to the visit and is purged with it (the process's retention rule)."""

    process = models.OneToOneField(
        "accounts.Process",
        on_delete=models.CASCADE,
        related_name="caption_settings",
        verbose_name=_("process"),
    )
    keep_transcript = models.BooleanField(
        _("keep the transcript of live captions"),
        default=False,
        help_text=_("If on, the caption lines go into the report and follow the retention rule."),
    )

    class Meta:
        verbose_name = _("caption settings")
        verbose_name_plural = _("caption settings")

    def __str__(self) -> str:
        return str(self.process)


class TranscriptLine(models.Model):
    session = models.ForeignKey(
        CaptionSession, on_delete=models.CASCADE, related_name="lines", verbose_name=_("session")
    )
    role = models.CharField(max_length=12, verbose_name=_("role"))
    language = models.CharField(max_length=8, verbose_name=_("language"))
    text = models.TextField(max_length=5000, verbose_name=_("text"))
    spoken_at = models.DateTimeField(verbose_name=_("spoken at"))

    class Meta:
        ordering = ["spoken_at"]
        verbose_name = _("line of captions")
        verbose_name_plural = _("lines of captions")

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:40]}"

    @property
    def role_label(self) -> str:
        from videocontact.visits.models import ParticipantRole

        try:
            return str(ParticipantRole(self.role).label)
        except ValueError:
            return self.role
