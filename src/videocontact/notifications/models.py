"""Contact details, messaging settings and texts per process, messages and SMS codes.

Personal data is kept to the minimum: a participant's e-mail address and mobile number live in
`Contact` (deleted with the participant, so with the visit); a `Message` row keeps only a masked
recipient, never the text it sent (the text held a join link); an `SmsCode` keeps only an HMAC.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from videocontact.accounts.models import Process
from videocontact.notifications.choices import Channel, MessageKind
from videocontact.notifications.placeholders import validate_text
from videocontact.visits.models import Invitation, Participant, Visit

# Kinds whose text carries a fresh join link (minted when the message is sent).
KINDS_WITH_LINK = frozenset({MessageKind.INVITATION, MessageKind.REMINDER, MessageKind.RESCHEDULED})


class Contact(models.Model):
    """How to reach one invited participant (resident or guest)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="contact", verbose_name=_("participant")
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)  # E.164
    language = models.CharField(
        _("language of the messages"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")

    def __str__(self) -> str:
        return f"contact of {self.participant_id}"


def parse_minutes(raw: str) -> list[int]:
    """ "1440, 15" → [1440, 15] (sorted from early to late: largest offset first)."""
    values: list[int] = []
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 60 * 24 * 14:
            raise ValidationError(
                _("Use whole minutes between 1 and 20160, separated by commas, e.g. 1440, 15.")
            )
        values.append(int(part))
    return sorted(set(values), reverse=True)


def validate_minutes(raw: str) -> None:
    parse_minutes(raw)


class MessagingSettings(models.Model):
    """Per process: reminders and whether residents must also enter a code sent by SMS."""

    process = models.OneToOneField(
        Process,
        on_delete=models.CASCADE,
        related_name="messaging_settings",
        verbose_name=_("process"),
    )
    require_sms_code = models.BooleanField(
        _("residents must also enter a code sent by SMS (two-channel join)"), default=False
    )
    reminder_minutes = models.CharField(
        _("reminders, in minutes before the visit"),
        max_length=100,
        default="1440, 15",
        blank=True,
        validators=[validate_minutes],
        help_text=_("Comma separated, e.g. 1440, 15 (24 hours and 15 minutes). Empty: none."),
    )

    class Meta:
        verbose_name = _("messaging settings")
        verbose_name_plural = _("messaging settings")

    def __str__(self) -> str:
        return f"messaging settings of {self.process}"

    @property
    def reminder_offsets(self) -> list[int]:
        return parse_minutes(self.reminder_minutes)


class MessageText(models.Model):
    """A text that replaces the built-in default for one process, kind, channel and language."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="message_texts", verbose_name=_("process")
    )
    kind = models.CharField(_("kind of message"), max_length=12, choices=MessageKind.choices)
    channel = models.CharField(_("sent by"), max_length=5, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject (e-mail only)"), max_length=150, blank=True)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("message text")
        verbose_name_plural = _("message texts")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "kind", "channel", "language"], name="one_text_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.process} · {self.kind} · {self.channel} · {self.language}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.kind == MessageKind.CODE and self.channel != Channel.SMS:
            errors["channel"] = [str(_("An access code is only sent by SMS."))]
        body_errors = validate_text(self.body, kind=self.kind, required=True)
        if body_errors:
            errors["body"] = body_errors
        if self.channel == Channel.EMAIL:
            subject_errors = validate_text(self.subject, kind=self.kind, required=False)
            if not self.subject.strip():
                subject_errors.append(str(_("An e-mail needs a subject.")))
            if subject_errors:
                errors["subject"] = subject_errors
        if errors:
            raise ValidationError(errors)


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Message(models.Model):
    """One e-mail or SMS to one participant. The row is its delivery record."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="messages", verbose_name=_("visit")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("participant"),
    )
    channel = models.CharField(_("sent by"), max_length=5, choices=Channel.choices)
    kind = models.CharField(_("kind of message"), max_length=12, choices=MessageKind.choices)
    state = models.CharField(
        _("status"), max_length=10, choices=MessageState.choices, default=MessageState.QUEUED
    )
    # Same key → the same message: a reminder for a visit time exists once, whatever happens.
    dedupe_key = models.CharField(
        max_length=200, unique=True, verbose_name=_("key against duplicates")
    )
    send_at = models.DateTimeField(_("send at"))
    visit_time = models.DateTimeField(
        null=True, blank=True, verbose_name=_("time of the visit")
    )  # the visit time it was made for
    recipient_masked = models.CharField(_("to"), max_length=80, blank=True)
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    last_error = models.CharField(max_length=300, blank=True, verbose_name=_("last error"))
    provider_reference = models.CharField(
        max_length=64, blank=True, verbose_name=_("provider reference")
    )
    invitation = models.ForeignKey(
        Invitation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invitation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["visit", "state"], name="message_visit_state")]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel} ({self.state})"

    @property
    def is_final(self) -> bool:
        return self.state in (
            MessageState.SENT,
            MessageState.DELIVERED,
            MessageState.FAILED,
            MessageState.CANCELLED,
        )


class CalendarEntry(models.Model):
    """The visit as a calendar event: one UID, a SEQUENCE that goes up with every change."""

    visit = models.OneToOneField(
        Visit, on_delete=models.CASCADE, related_name="calendar_entry", verbose_name=_("visit")
    )
    sequence = models.PositiveIntegerField(default=0, verbose_name=_("sequence number"))

    class Meta:
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")

    def __str__(self) -> str:
        return f"calendar entry of {self.visit_id} (#{self.sequence})"


class SmsCode(models.Model):
    """A 6-digit code for the two-channel join. The code itself is made when the SMS is sent
    and only its HMAC is stored."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="sms_codes",
        verbose_name=_("participant"),
    )
    message = models.OneToOneField(
        Message,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sms_code",
        verbose_name=_("message"),
    )
    code_hash = models.CharField(max_length=64, blank=True, verbose_name=_("code hash"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("expires at"))
    attempts = models.PositiveSmallIntegerField(
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        verbose_name=_("attempts"),
    )
    verified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("verified at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")

    def __str__(self) -> str:
        return f"code for {self.participant_id}"
