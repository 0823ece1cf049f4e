"""Two-channel join: the SMS code, requested and verified."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocontact.notifications.models import (
    Channel,
    MessageKind,
    SmsCode,
)
from videocontact.notifications.services.common import CodeThrottled, NoAddress, _contact, _enqueue
from videocontact.privacy.audit import audit
from videocontact.visits import services as visit_services
from videocontact.visits.models import Participant


def _code_hash(code_row: SmsCode, code: str) -> str:
    key = hashlib.sha256(b"sms-code:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{code_row.pk}:{code}".encode(), hashlib.sha256).hexdigest()


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


def code_expired_job(payload: dict[str, Any]) -> None:
    """A code ran out: publish the lobby so the caseworker sees the resident is stuck."""
    visit_services.publish_lobby(uuid.UUID(payload["visit"]))
