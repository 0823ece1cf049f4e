"""Write side of the API. Visits are planned, moved and cancelled through the visits and
notifications services (never a copy of their rules); this module adds what an API needs:
idempotency, the audit of every call, links shown once."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from videocontact.accounts.models import Process, User
from videocontact.accounts.selectors import user_can_manage_unit
from videocontact.api.errors import ApiError
from videocontact.api.models import ApiClient, IdempotencyRecord
from videocontact.evidence import vault
from videocontact.notifications import services as notify
from videocontact.privacy.audit import audit
from videocontact.visits import services as visits
from videocontact.visits.errors import GuestError, NotAllowed
from videocontact.visits.models import Participant, ParticipantRole, Visit, VisitStatus

IDEMPOTENCY_TTL = timedelta(hours=24)


@dataclass
class Link:
    participant: Participant
    url: str
    valid_from: datetime
    valid_until: datetime


@dataclass
class Planned:
    visit: Visit
    links: list[Link] = field(default_factory=list)


def join_url(token: str) -> str:
    base = (settings.PUBLIC_BASE_URL or "http://localhost:8000").rstrip("/")
    return base + reverse("resident:join", kwargs={"token": token})


def _link(issued: visits.IssuedInvitation) -> Link:
    inv = issued.invitation
    return Link(inv.participant, join_url(issued.token), inv.valid_from, inv.valid_until)


def audit_call(
    *, client: ApiClient, method: str, path: str, status: int, visit_id: uuid.UUID | None
) -> None:
    """Every authenticated call leaves an audit event naming the client (never a body)."""
    audit(
        action="api.call",
        obj=client,
        visit_id=visit_id,
        client=client.client_id,
        method=method,
        path=path[:300],
        status=status,
    )


def _check_caseworker(process: Process, username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not user_can_manage_unit(user, process.unit):
        raise ApiError(
            "caseworker_unknown",
            "No active caseworker or team lead of the process's unit has this username.",
            status_code=422,
        )
    return user


def _contact(participant: Participant, contact: dict[str, str], *, by: User, send: bool) -> None:
    email, mobile = contact.get("email", ""), contact.get("mobile", "")
    if email or mobile:
        notify.contact_save(
            participant=participant,
            email=email,
            mobile=mobile,
            language=participant.ui_language,
            by_user=by,
            send_invitation=send,
        )


def _guest(visit: Visit, guest: dict[str, Any], *, by: User, send: bool) -> Link:
    try:
        participant, issued = visits.guest_add(
            visit=visit,
            by_user=by,
            role=guest["role"],
            display_name=guest["name"],
            language=guest.get("language", ""),
        )
    except GuestError as exc:
        raise ApiError(f"guest_{exc.reason}", str(exc), status_code=422) from exc
    _contact(participant, guest, by=by, send=send)
    return _link(issued)


@transaction.atomic
def visit_plan(*, client: ApiClient, process: Process, data: dict[str, Any]) -> Planned:
    """Plan a visit for the resident (and guests); the links are in the answer only."""
    caseworker = _check_caseworker(process, data["caseworker"])
    resident = data["resident"]
    send = data.get("send_invitations", True)
    visit, issued = visits.visit_create(
        process=process,
        caseworker=caseworker,
        resident_name=resident["name"],
        resident_language=resident.get("language", "nl"),
        scheduled_at=data.get("scheduled_at"),
        case_reference=data.get("case_reference", ""),
    )
    audit(action="api.visit_planned", obj=visit, visit_id=visit.id, client=client.client_id)
    planned = Planned(visit=visit, links=[_link(issued)])
    _contact(issued.invitation.participant, resident, by=caseworker, send=send)
    for guest in data.get("guests", []):
        planned.links.append(_guest(visit, guest, by=caseworker, send=send))
    return planned


@transaction.atomic
def guest_invite(*, client: ApiClient, visit: Visit, data: dict[str, Any]) -> Planned:
    send = data.get("send_invitations", True)
    link = _guest(visit, data, by=visit.caseworker, send=send)
    audit(action="api.guest_added", obj=visit, visit_id=visit.id, client=client.client_id)
    return Planned(visit=visit, links=[link])


@transaction.atomic
def visit_update(*, client: ApiClient, visit: Visit, data: dict[str, Any]) -> Visit:
    """Move the visit and/or change the resident's contact details."""
    if not visit.is_open:
        raise ApiError("visit_closed", "The visit has ended or was cancelled.", status_code=409)
    if "scheduled_at" in data:
        try:
            visit = visits.visit_reschedule(
                visit=visit, scheduled_at=data["scheduled_at"], by_user=visit.caseworker
            )
        except NotAllowed as exc:
            raise ApiError("not_planned", "Only a planned visit can be moved.", 409) from exc
    if "resident" in data:
        resident = visit.participants.get(role=ParticipantRole.RESIDENT)
        notify.contact_save(
            participant=resident,
            email=data["resident"].get("email", ""),
            mobile=data["resident"].get("mobile", ""),
            language=resident.ui_language,
            by_user=visit.caseworker,
            send_invitation=data.get("send_invitations", False),
        )
    audit(action="api.visit_updated", obj=visit, visit_id=visit.id, client=client.client_id)
    return visit


@transaction.atomic
def visit_cancel(*, client: ApiClient, visit: Visit) -> Visit:
    if visit.status in (VisitStatus.ENDED,):
        raise ApiError("visit_ended", "An ended visit cannot be cancelled.", status_code=409)
    visit = visits.visit_cancel(visit=visit, by_user=visit.caseworker)
    audit(action="api.visit_cancelled", obj=visit, visit_id=visit.id, client=client.client_id)
    return visit


# Idempotency -----------------------------------------------------------------------------------


def request_fingerprint(path: str, body: Any) -> str:
    canonical = json.dumps([path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Outcome:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def _expire(client: ApiClient) -> None:
    old = IdempotencyRecord.objects.filter(
        client=client, created_at__lt=timezone.now() - IDEMPOTENCY_TTL
    )
    blobs = [b for b in old.values_list("blob_name", flat=True) if b]
    old.delete()
    for name in blobs:
        transaction.on_commit(partial(vault.destroy, name))


def idempotent(
    *, client: ApiClient, key: str | None, fingerprint: str, run: Callable[[], Outcome]
) -> Outcome:
    """Run `run` once per (client, key): a retry with the same request gets the first answer
    back; the same key with another request is refused. Errors are not remembered, so a
    refused request may be corrected and sent again with the same key."""
    if not key:
        return run()
    if len(key) > 255 or not key.isprintable():
        raise ApiError("idempotency_key_invalid", "Use a printable key of at most 255 characters.")
    with transaction.atomic():
        _expire(client)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    client=client, key=key, request_sha256=fingerprint
                )
        except IntegrityError:
            record = IdempotencyRecord.objects.get(client=client, key=key)
            return _replay(record, fingerprint)
        outcome = run()
        sealed = vault.seal(json.dumps(outcome.body).encode(), prefix="api/idempotency")
        record.status_code = outcome.status
        record.blob_name, record.key_id = sealed.name, sealed.key_id
        record.save(update_fields=["status_code", "blob_name", "key_id"])
        return outcome


def _replay(record: IdempotencyRecord, fingerprint: str) -> Outcome:
    if record.request_sha256 != fingerprint:
        raise ApiError(
            "idempotency_key_reused",
            "This Idempotency-Key was used for a different request.",
            status_code=422,
        )
    if record.status_code is None or not record.blob_name:
        raise ApiError("idempotency_in_progress", "A request with this key is still running.", 409)
    try:
        body = json.loads(vault.unseal(record.blob_name, record.key_id))
    except vault.BlobMissing as exc:
        raise ApiError("idempotency_expired", "The stored answer is gone.", 409) from exc
    return Outcome(status=record.status_code, body=body, replayed=True)
