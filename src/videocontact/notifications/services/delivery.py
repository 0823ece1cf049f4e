"""Sending one message: prepare (committed before the provider is called), transmit, record; retries."""

from __future__ import annotations

import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocontact.jobs.registry import PermanentFailure, Retry
from videocontact.jobs.retry import notifications_policy
from videocontact.jobs.services import job_enqueue
from videocontact.notifications import ics, mail, sms, texts
from videocontact.notifications.models import (
    KINDS_WITH_LINK,
    CalendarEntry,
    Channel,
    Contact,
    Message,
    MessageKind,
    MessageState,
    SmsCode,
)
from videocontact.notifications.services.codes import _code_hash
from videocontact.notifications.services.common import (
    CODE_EXPIRY_JOB_KIND,
    _channels,
    _contact,
    _masked,
    format_time,
    log,
    public_link,
)
from videocontact.privacy.audit import audit
from videocontact.visits import services as visit_services
from videocontact.visits.models import VisitStatus


@dataclass
class _Prepared:
    message: Message
    contact: Contact
    token: str | None
    code: str | None


def _stale_reason(message: Message) -> str | None:
    visit = message.visit
    if message.participant.removed_at is not None:
        return "the caseworker took this person off the visit"
    if message.kind == MessageKind.CANCELLED:
        return None if visit.status == VisitStatus.CANCELLED else "the visit was not cancelled"
    if not visit.is_open:
        return "the visit is closed"
    if message.kind == MessageKind.REMINDER and (
        visit.status != VisitStatus.PLANNED or visit.scheduled_at != message.visit_time
    ):
        return "the visit has another time now"
    if message.kind == MessageKind.RESCHEDULED and visit.scheduled_at != message.visit_time:
        return "the visit has another time now"
    return None


@transaction.atomic
def _prepare(message_id: int, now: datetime) -> _Prepared | None:
    message = (
        Message.objects.select_for_update()
        .select_related("visit__process__unit__organisation", "participant")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.is_final:
        return None
    if message.state == MessageState.SENDING:
        # A worker died between "sending" and the provider's answer: it may have gone out.
        message.state = MessageState.FAILED
        message.last_error = "interrupted while sending; it may not have arrived: send again"
        message.save(update_fields=["state", "last_error"])
        audit(action="message.failed", obj=message, visit_id=message.visit_id, reason="interrupted")
        return None
    stale = _stale_reason(message)
    if stale is not None:
        message.state = MessageState.CANCELLED
        message.last_error = stale
        message.save(update_fields=["state", "last_error"])
        return None
    contact = _contact(message.participant)
    if message.channel not in _channels(contact):
        _fail(message, "no address for this channel")
        return None
    assert contact is not None
    token = code = None
    if message.kind in KINDS_WITH_LINK:
        issued = visit_services.invitation_issue(
            participant=message.participant, by_user=None, revoke_others=False
        )
        token = issued.token
        message.invitation = issued.invitation
    if message.kind == MessageKind.CODE:
        code_row = SmsCode.objects.select_for_update().filter(message=message).first()
        if code_row is None:
            _fail(message, "no code request")
            return None
        code = f"{secrets.randbelow(1_000_000):06d}"
        code_row.code_hash = _code_hash(code_row, code)
        code_row.attempts = 0
        code_row.save(update_fields=["code_hash", "attempts"])
    message.state = MessageState.SENDING
    message.attempts += 1
    message.recipient_masked = _masked(contact, message.channel)
    message.save(update_fields=["state", "attempts", "invitation", "recipient_masked"])
    return _Prepared(message=message, contact=contact, token=token, code=code)


def _fail(message: Message, reason: str) -> None:
    message.state = MessageState.FAILED
    message.last_error = reason[:300]
    message.save(update_fields=["state", "last_error"])
    audit(action="message.failed", obj=message, visit_id=message.visit_id, reason=reason[:120])
    if message.kind == MessageKind.CODE:
        visit_services.publish_lobby(message.visit_id)


def _content(prepared: _Prepared) -> tuple[texts.RenderedText, bytes | None, str]:
    message = prepared.message
    visit = message.visit
    organisation = visit.organisation
    language = prepared.contact.language or visit.resident_language
    values = {
        "organisation": organisation.name,
        "process": visit.process.name,
        "time": format_time(visit.scheduled_at, language) or format_time(timezone.now(), language),
        "phone": organisation.contact_phone,
        "link": public_link(prepared.token) if prepared.token else "",
        "code": prepared.code or "",
    }
    rendered = texts.render(
        visit.process,
        message.kind,
        message.channel,
        language,
        values,
        sent_at=values["time"] if visit.scheduled_at is None else None,
    )
    calendar = None
    method = "REQUEST"
    if message.channel == Channel.EMAIL and visit.scheduled_at is not None:
        cancel = message.kind == MessageKind.CANCELLED
        method = "CANCEL" if cancel else "REQUEST"
        entry, _ = CalendarEntry.objects.get_or_create(visit=visit)
        calendar = ics.build_ics(
            visit=visit,
            sequence=entry.sequence,
            cancel=cancel,
            summary=rendered.subject,
            description=rendered.body,
            attendee_email=prepared.contact.email,
        )
    return rendered, calendar, method


def _transmit(prepared: _Prepared) -> str:
    """Hand the message to SMTP or the SMS gateway. Returns the provider reference."""
    message = prepared.message
    rendered, calendar, method = _content(prepared)
    language = prepared.contact.language or message.visit.resident_language
    if message.channel == Channel.EMAIL:
        email = mail.build_email(
            to=prepared.contact.email,
            subject=rendered.subject,
            body=rendered.body,
            language=language,
            organisation_name=message.visit.organisation.name,
            ics=calendar,
            ics_method=method,
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise sms.SmsError("the mail server refused the address", permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise sms.SmsError(f"mail server: {type(exc).__name__}", permanent=False) from exc
        return email.extra_headers.get("Message-ID", "") or ""
    reference = f"vc{message.pk}x{message.attempts}"
    result = sms.gateway().send(to=prepared.contact.mobile, body=rendered.body, reference=reference)
    return result.provider_reference


def _backoff(attempts: int) -> int:
    return int(notifications_policy().delay(attempts))


def message_deliver(*, message_id: int, now: datetime | None = None) -> None:
    """The body of the `notifications.send` job. Idempotent; see the module docstring."""
    now = now or timezone.now()
    prepared = _prepare(message_id, now)
    if prepared is None:
        return
    try:
        reference = _transmit(prepared)
    except sms.SmsError as exc:
        error: sms.SmsError | None = exc
        reference = ""
    except Exception as exc:  # a bug or an unexpected library error: retried, then failed
        log.exception("notifications.transmit_error", message=message_id)
        error = sms.SmsError(f"{type(exc).__name__}", permanent=False)
        reference = ""
    else:
        error = None
    outcome = _record(prepared, error=error, reference=reference, now=now)
    if outcome is not None:  # raised after the commit: the job runner reschedules or gives up
        raise outcome


@transaction.atomic
def _record(
    prepared: _Prepared, *, error: sms.SmsError | None, reference: str, now: datetime
) -> Exception | None:
    """Store the outcome. Returns what the job runner must be told (retry later, or failed)."""
    message = Message.objects.select_for_update().get(pk=prepared.message.pk)
    if error is None:
        message.state = MessageState.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.provider_reference = reference[:64]
        message.save(update_fields=["state", "sent_at", "last_error", "provider_reference"])
        audit(
            action="message.sent",
            obj=message,
            visit_id=message.visit_id,
            kind=message.kind,
            channel=message.channel,
        )
        if message.kind == MessageKind.CODE:
            sent = timezone.now()
            # Only the newest code works: earlier ones that were not used expire now.
            SmsCode.objects.filter(
                participant_id=message.participant_id, verified_at__isnull=True
            ).exclude(message=message).update(expires_at=sent)
            expires = sent + timedelta(minutes=settings.SMS_CODE_TTL_MINUTES)
            SmsCode.objects.filter(message=message).update(sent_at=sent, expires_at=expires)
            # Tell the caseworker's lobby when the code runs out (nothing else happens then).
            job_enqueue(
                kind=CODE_EXPIRY_JOB_KIND,
                payload={"visit": str(message.visit_id)},
                run_at=expires + timedelta(seconds=1),
                dedupe_key=f"{CODE_EXPIRY_JOB_KIND}:{message.pk}",
                max_attempts=1,
            )
            audit(
                action="sms_code.sent",
                obj=message.participant,
                actor_participant_id=message.participant_id,
                visit_id=message.visit_id,
            )
            visit_services.publish_lobby(message.visit_id)
        return None
    if message.invitation_id is not None:  # the link in the lost message must not work
        visit_services.invitation_revoke_by_id(
            invitation_id=message.invitation_id, reason="not_delivered"
        )
    log.warning(
        "notifications.send_failed",
        message=message.pk,
        channel=message.channel,
        permanent=error.permanent,
        attempts=message.attempts,
        reason=error.reason,
    )
    if error.permanent or message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        _fail(message, error.reason)
        return PermanentFailure(error.reason)
    message.state = MessageState.QUEUED
    message.last_error = error.reason[:300]
    message.save(update_fields=["state", "last_error"])
    return Retry(_backoff(message.attempts), error.reason)


def deliver_job(payload: dict[str, Any]) -> None:
    """The job handler (`notifications.send`)."""
    message_deliver(message_id=int(payload["message"]))
