"""Write side of notifications: contact details, invitations, reminders, notices, SMS codes.

Every message is a `Message` row plus one durable job (`notifications.send`). The job sends at
most once: the row goes queued → sending (committed before the provider is called) → sent or
failed. A row found in `sending` by a later run belonged to a worker that died mid-send; it is
marked failed ("interrupted", visible with a "send again" button), never sent a second time
automatically. Join links and codes are made at the moment of sending and only their hashes are
stored, so no job payload or row ever holds a token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from videocontact.accounts.models import User
from videocontact.core.errors import ServiceError
from videocontact.jobs.registry import PermanentFailure, Retry
from videocontact.jobs.retry import notifications_policy
from videocontact.jobs.services import job_cancel, job_enqueue
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
from videocontact.notifications.phone import mask_email, mask_mobile
from videocontact.notifications.selectors import messaging_settings_for, notifiable_participants
from videocontact.privacy.services import audit
from videocontact.visits import services as visit_services
from videocontact.visits.models import Participant, Visit, VisitStatus

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


# Contact details -------------------------------------------------------------------------------


@transaction.atomic
def contact_save(
    *,
    participant: Participant,
    email: str,
    mobile: str,
    language: str | None,
    by_user: User | None,
    send_invitation: bool = False,
) -> Contact | None:
    """Store (or clear) how to reach a participant. `mobile` must already be E.164.
    With neither an e-mail address nor a number the row is deleted (store nothing needless).
    With `send_invitation` the invitation goes out at once to every channel given."""
    email = email.strip()
    mobile = mobile.strip()
    language = language or participant.visit.resident_language
    if not email and not mobile:
        deleted, _ = Contact.objects.filter(participant=participant).delete()
        if deleted:
            audit(
                action="contact.removed",
                obj=participant,
                actor_user=by_user,
                visit_id=participant.visit_id,
            )
        _cancel_queued(participant.visit, participant=participant)
        return None
    contact, _ = Contact.objects.update_or_create(
        participant=participant,
        defaults={"email": email, "mobile": mobile, "language": language},
    )
    audit(
        action="contact.updated",
        obj=participant,
        actor_user=by_user,
        visit_id=participant.visit_id,
        email=bool(email),
        mobile=bool(mobile),
    )
    # Messages still waiting for a channel that is gone now are cancelled, not failed later.
    gone: list[str] = [c for c in (Channel.EMAIL, Channel.SMS) if c not in _channels(contact)]
    if gone:
        _cancel_queued(participant.visit, participant=participant, channels=gone)
    reminders_schedule(visit=participant.visit, participants=[participant])
    if send_invitation and by_user is not None:
        invitation_send(participant=participant, channels=_channels(contact), by_user=by_user)
    return contact


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


# Enqueueing ------------------------------------------------------------------------------------


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


@transaction.atomic
def invitation_send(
    *, participant: Participant, channels: list[str], by_user: User
) -> list[Message]:
    """The caseworker sends a participant's invitation by e-mail and/or SMS (each message gets
    a link of its own; earlier links keep working)."""
    contact = _contact(participant)
    available = _channels(contact)
    wanted = [c for c in channels if c in available]
    if not wanted:
        raise NoAddress("no address for the chosen channel")
    if not participant.visit.is_open:
        raise NotificationError("the visit is closed")
    now = timezone.now()
    messages = [
        _enqueue(
            participant=participant,
            kind=MessageKind.INVITATION,
            channel=channel,
            dedupe_key=f"invitation:{participant.visit_id}:{participant.id}:{channel}:{uuid.uuid4()}",
            send_at=now,
            by_user=by_user,
        )
        for channel in wanted
    ]
    audit(
        action="invitation.send_requested",
        obj=participant,
        actor_user=by_user,
        visit_id=participant.visit_id,
        channels=wanted,
    )
    return messages


@transaction.atomic
def message_resend(*, message: Message, by_user: User) -> Message:
    """'Send again': a new message of the same kind to the same participant, sent now."""
    if message.kind == MessageKind.CODE:
        raise NotificationError("a code is requested by the resident")
    if message.kind != MessageKind.CANCELLED and not message.visit.is_open:
        raise NotificationError("the visit is closed")
    if message.channel not in _channels(_contact(message.participant)):
        raise NoAddress("no address for this channel any more")
    again = _enqueue(
        participant=message.participant,
        kind=message.kind,
        channel=message.channel,
        dedupe_key=f"resend:{message.pk}:{uuid.uuid4()}",
        send_at=timezone.now(),
        by_user=by_user,
    )
    audit(
        action="message.resend_requested",
        obj=again,
        actor_user=by_user,
        visit_id=message.visit_id,
        original=message.pk,
    )
    return again


def reminders_schedule(
    *, visit: Visit, participants: list[Participant] | None = None, now: datetime | None = None
) -> list[Message]:
    """Plan the reminders of a planned visit (per process: default 24 h and 15 min before). The
    dedupe key holds the visit time, so planning twice plans nothing new."""
    now = now or timezone.now()
    if visit.scheduled_at is None or visit.status != VisitStatus.PLANNED:
        return []
    offsets = messaging_settings_for(visit.process).reminder_offsets
    planned = []
    for participant in participants or notifiable_participants(visit):
        for channel in _channels(_contact(participant)):
            for minutes in offsets:
                send_at = visit.scheduled_at - timedelta(minutes=minutes)
                if send_at <= now:
                    continue
                key = (
                    f"reminder:{visit.id}:{participant.id}:{channel}:{minutes}:"
                    f"{visit.scheduled_at.isoformat()}"
                )
                planned.append(
                    _enqueue(
                        participant=participant,
                        kind=MessageKind.REMINDER,
                        channel=channel,
                        dedupe_key=key,
                        send_at=send_at,
                    )
                )
    return planned


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


def on_visit_rescheduled(*, visit: Visit, old_scheduled_at: datetime | None, by_user: Any) -> None:
    """Receiver of visits.signals.visit_rescheduled (inside the reschedule transaction)."""
    _cancel_queued(visit, kinds=[MessageKind.REMINDER, MessageKind.RESCHEDULED])
    _next_sequence(visit)
    now = timezone.now()
    assert visit.scheduled_at is not None
    for participant in notifiable_participants(visit):
        for channel in _channels(_contact(participant)):
            _enqueue(
                participant=participant,
                kind=MessageKind.RESCHEDULED,
                channel=channel,
                dedupe_key=(
                    f"rescheduled:{visit.id}:{participant.id}:{channel}:"
                    f"{visit.scheduled_at.isoformat()}"
                ),
                send_at=now,
                by_user=by_user,
            )
    reminders_schedule(visit=visit, now=now)


def on_visit_cancelled(*, visit: Visit, by_user: Any) -> None:
    """Receiver of visits.signals.visit_cancelled: nothing queued goes out any more; a notice
    (with METHOD:CANCEL in the e-mail) goes to everyone who was told about the visit."""
    _cancel_queued(visit)
    _next_sequence(visit)
    now = timezone.now()
    told = set(
        Message.objects.filter(
            visit=visit, state__in=[MessageState.SENT, MessageState.DELIVERED]
        ).values_list("participant_id", "channel")
    )
    for participant in notifiable_participants(visit):
        for channel in _channels(_contact(participant)):
            if (participant.id, channel) not in told:
                continue
            _enqueue(
                participant=participant,
                kind=MessageKind.CANCELLED,
                channel=channel,
                dedupe_key=f"cancelled:{visit.id}:{participant.id}:{channel}",
                send_at=now,
                by_user=by_user,
            )


def on_visit_ended(*, visit: Visit) -> None:
    """Receiver of visits.signals.visit_ended: reminders still waiting are cancelled."""
    _cancel_queued(visit)


# Sending (the job) -----------------------------------------------------------------------------


@dataclass
class _Prepared:
    message: Message
    contact: Contact
    token: str | None
    code: str | None


def public_link(token: str) -> str:
    base = (settings.PUBLIC_BASE_URL or "http://localhost:8000").rstrip("/")
    return base + reverse("resident:join", kwargs={"token": token})


def format_time(moment: datetime | None, language: str) -> str:
    if moment is None:
        return ""
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "l j E Y, H:i")


def _code_hash(code_row: SmsCode, code: str) -> str:
    key = hashlib.sha256(b"sms-code:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{code_row.pk}:{code}".encode(), hashlib.sha256).hexdigest()


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


# SMS codes (two-channel join) ------------------------------------------------------------------


@transaction.atomic
def code_request(*, participant: Participant, now: datetime | None = None) -> SmsCode:
    """The resident asks for a code (or the code page asks on first view). Throttled."""
    now = now or timezone.now()
    # One request at a time per participant, so parallel "resend" clicks cannot all pass the
    # throttle (on PostgreSQL; SQLite serialises writers anyway).
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    contact = _contact(participant)
    if contact is None or not contact.mobile:
        raise NoAddress("no mobile number")
    recent = SmsCode.objects.filter(participant=participant)
    latest = recent.first()
    if latest is not None:
        wait = settings.SMS_CODE_RESEND_SECONDS - (now - latest.created_at).total_seconds()
        if wait > 0:
            raise CodeThrottled(int(wait) + 1)
    if recent.filter(created_at__gte=now - timedelta(hours=1)).count() >= (
        settings.SMS_CODE_MAX_PER_HOUR
    ):
        oldest = recent.filter(created_at__gte=now - timedelta(hours=1)).last()
        assert oldest is not None
        raise CodeThrottled(int((oldest.created_at + timedelta(hours=1) - now).total_seconds()) + 1)
    message = _enqueue(
        participant=participant,
        kind=MessageKind.CODE,
        channel=Channel.SMS,
        dedupe_key=f"code:{participant.visit_id}:{participant.id}:{uuid.uuid4()}",
        send_at=now,
    )
    code_row = SmsCode.objects.create(participant=participant, message=message, created_at=now)
    audit(
        action="sms_code.requested",
        obj=participant,
        actor_participant_id=participant.id,
        visit_id=participant.visit_id,
    )
    visit_services.publish_lobby(participant.visit_id)
    return code_row


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    reason: str = ""  # wrong | expired | locked | not_sent
    attempts_left: int = 0


@transaction.atomic
def code_verify(*, participant: Participant, code: str, now: datetime | None = None) -> CodeCheck:
    now = now or timezone.now()
    code_row = (
        SmsCode.objects.select_for_update()
        .filter(participant=participant, sent_at__isnull=False)
        .first()
    )
    if code_row is None or not code_row.code_hash:
        return CodeCheck(ok=False, reason="not_sent")
    if code_row.verified_at is not None:
        # A code works once: it lets in the browser that entered it, no other one.
        return CodeCheck(ok=False, reason="expired")
    maximum = settings.SMS_CODE_MAX_ATTEMPTS
    if code_row.attempts >= maximum:
        return CodeCheck(ok=False, reason="locked")
    if code_row.expires_at is not None and now > code_row.expires_at:
        return CodeCheck(ok=False, reason="expired")
    code_row.attempts += 1
    cleaned = "".join(ch for ch in code if ch.isdigit())[:6]
    matches = hmac.compare_digest(_code_hash(code_row, cleaned), code_row.code_hash)
    if matches:
        code_row.verified_at = now
        code_row.save(update_fields=["attempts", "verified_at"])
        audit(
            action="sms_code.verified",
            obj=participant,
            actor_participant_id=participant.id,
            visit_id=participant.visit_id,
        )
    else:
        code_row.save(update_fields=["attempts"])
        audit(
            action="sms_code.failed",
            obj=participant,
            actor_participant_id=participant.id,
            visit_id=participant.visit_id,
            attempts=code_row.attempts,
        )
    visit_services.publish_lobby(participant.visit_id)
    if matches:
        return CodeCheck(ok=True)
    left = maximum - code_row.attempts
    return CodeCheck(ok=False, reason="wrong" if left > 0 else "locked", attempts_left=left)


# CM.com status reports (delivery callback) ------------------------------------------------------

# CM's status codes: 0 accepted by the operator, 1 rejected, 2 delivered, 3 failed.
CM_DELIVERED = "2"
CM_FAILED = frozenset({"1", "3"})


@transaction.atomic
def delivery_report(*, reference: str, status_code: str, reason: str = "") -> bool:
    """A status report from the SMS provider. Moves sent → delivered or sent → failed (a
    message never goes back). Returns False for a reference we do not know."""
    message = Message.objects.select_for_update().filter(provider_reference=reference).first()
    if message is None or message.channel != Channel.SMS:
        return False
    if message.state not in (MessageState.SENT, MessageState.DELIVERED):
        return True
    if status_code == CM_DELIVERED and message.state == MessageState.SENT:
        message.state = MessageState.DELIVERED
        message.save(update_fields=["state"])
    elif status_code in CM_FAILED and message.state == MessageState.SENT:
        # A late or replayed "failed" for a delivered message changes nothing: the resident
        # has the link, so it must keep working.
        if message.invitation_id is not None:
            visit_services.invitation_revoke_by_id(
                invitation_id=message.invitation_id, reason="not_delivered"
            )
        _fail(message, f"not delivered: {reason or 'status ' + status_code}"[:300])
    return True


def code_expired_job(payload: dict[str, Any]) -> None:
    """A code ran out: publish the lobby so the caseworker sees the resident is stuck."""
    visit_services.publish_lobby(uuid.UUID(payload["visit"]))
