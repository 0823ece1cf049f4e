"""Shared by the notification services: errors, job kinds, channels, queued messages, links and times."""

from __future__ import annotations

from datetime import datetime

import structlog
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from videocontact.accounts.models import User
from videocontact.core.errors import ServiceError
from videocontact.jobs.services import job_cancel, job_enqueue
from videocontact.notifications.models import (
    CalendarEntry,
    Channel,
    Contact,
    Message,
    MessageState,
)
from videocontact.notifications.phone import mask_email, mask_mobile
from videocontact.visits.models import Participant, Visit

log = structlog.get_logger("notifications")


JOB_KIND = "notifications.send"


CODE_EXPIRY_JOB_KIND = "notifications.code_expired"


class NotificationError(ServiceError):
    code = "notification_error"


class NoAddress(NotificationError):
    code = "no_address"


class CodeThrottled(NotificationError):
    code = "throttled"

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(f"wait {wait_seconds} s")
        self.wait_seconds = wait_seconds


def _channels(contact: Contact | None) -> list[str]:
    if contact is None:
        return []
    found: list[str] = []
    if contact.email:
        found.append(Channel.EMAIL)
    if contact.mobile:
        found.append(Channel.SMS)
    return found


def _contact(participant: Participant) -> Contact | None:
    return Contact.objects.filter(participant=participant).first()


def _masked(contact: Contact | None, channel: str) -> str:
    if contact is None:
        return ""
    if channel == Channel.EMAIL:
        return mask_email(contact.email) if contact.email else ""
    return mask_mobile(contact.mobile) if contact.mobile else ""


def _enqueue(
    *,
    participant: Participant,
    kind: str,
    channel: str,
    dedupe_key: str,
    send_at: datetime,
    by_user: User | None = None,
) -> Message:
    visit = participant.visit
    message, created = Message.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "visit": visit,
            "participant": participant,
            "kind": kind,
            "channel": channel,
            "send_at": send_at,
            "visit_time": visit.scheduled_at,
            "recipient_masked": _masked(_contact(participant), channel),
            "requested_by": by_user if getattr(by_user, "is_authenticated", False) else None,
        },
    )
    if created:
        job_enqueue(
            kind=JOB_KIND,
            payload={"message": message.pk},
            run_at=send_at,
            dedupe_key=_job_key(message),
            max_attempts=settings.NOTIFY_MAX_ATTEMPTS + 2,
        )
    return message


def _job_key(message: Message) -> str:
    return f"{JOB_KIND}:{message.pk}"


def _cancel_queued(
    visit: Visit,
    *,
    participant: Participant | None = None,
    kinds: list[str] | None = None,
    channels: list[str] | None = None,
) -> int:
    queued = Message.objects.filter(visit=visit, state=MessageState.QUEUED)
    if participant is not None:
        queued = queued.filter(participant=participant)
    if kinds is not None:
        queued = queued.filter(kind__in=kinds)
    if channels is not None:
        queued = queued.filter(channel__in=channels)
    count = 0
    for message in queued:
        job_cancel(dedupe_key=_job_key(message))
        message.state = MessageState.CANCELLED
        message.save(update_fields=["state"])
        count += 1
    return count


def _next_sequence(visit: Visit) -> int:
    entry, _ = CalendarEntry.objects.select_for_update().get_or_create(visit=visit)
    entry.sequence += 1
    entry.save(update_fields=["sequence"])
    return entry.sequence


def public_link(token: str) -> str:
    base = (settings.PUBLIC_BASE_URL or "http://localhost:8000").rstrip("/")
    return base + reverse("resident:join", kwargs={"token": token})


def format_time(moment: datetime | None, language: str) -> str:
    if moment is None:
        return ""
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "l j E Y, H:i")
