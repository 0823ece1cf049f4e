"""The channels and kinds of message: plain choices, so that the placeholder rules
(placeholders.py) and the models can both use them without importing each other."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class MessageKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    RESCHEDULED = "rescheduled", _("New time")
    CANCELLED = "cancelled", _("Cancelled")
    CODE = "code", _("Access code")
