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
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.CASCADE, related_name="caption_sessions"
    )
    state = models.CharField(max_length=8, choices=CaptionState.choices)
    requested_by = models.ForeignKey("visits.Participant", on_delete=models.CASCADE)
    keep_transcript = models.BooleanField(default=False)  # copied from the process at the start
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=16, blank=True)  # declined | stopped | left

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("caption session")

    def __str__(self) -> str:
        return f"captions {self.state} ({self.visit_id})"


class CaptionConsent(models.Model):
    """One participant's answer; `language` is the language they read captions in."""

    session = models.ForeignKey(CaptionSession, on_delete=models.CASCADE, related_name="consents")
    participant = models.ForeignKey("visits.Participant", on_delete=models.CASCADE)
    accepted = models.BooleanField()
    language = models.CharField(max_length=8, default="nl")
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("session", "participant")]
        verbose_name = _("caption consent")

    def __str__(self) -> str:
        return f"{self.participant_id}: {'yes' if self.accepted else 'no'}"


class CaptionSettings(models.Model):
    """Per process: whether the transcript of live captions is kept (default: no). A kept
    transcript belongs to the visit and is purged with it (the process's retention rule)."""

    process = models.OneToOneField(
        "accounts.Process", on_delete=models.CASCADE, related_name="caption_settings"
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
    session = models.ForeignKey(CaptionSession, on_delete=models.CASCADE, related_name="lines")
    role = models.CharField(max_length=12)
    language = models.CharField(max_length=8)
    text = models.TextField(max_length=5000)
    spoken_at = models.DateTimeField()

    class Meta:
        ordering = ["spoken_at"]

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:40]}"

    @property
    def role_label(self) -> str:
        from videocontact.visits.models import ParticipantRole

        try:
            return str(ParticipantRole(self.role).label)
        except ValueError:
            return self.role
