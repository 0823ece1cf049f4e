"""The audit trail's hash chain: append under a lock, verify from the start."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from videocontact.privacy.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def canonical(event: AuditEvent) -> str:
    """The event's content as one string: keys sorted, no spaces, UTF-8 kept."""
    content = {
        "at": event.at.isoformat(),
        "actor_user": event.actor_user_id,
        "actor_participant": str(event.actor_participant_id or ""),
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "visit": str(event.visit_id or ""),
        "data": event.data,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + "\n" + canonical(event)).encode("utf-8")).hexdigest()


@transaction.atomic
def append(event: AuditEvent) -> AuditEvent:
    """Save a new event as the chain's next link (its `at` must be set)."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event.prev_hash = head.last_hash or GENESIS
    # Round-trip the data through JSON first, so the hash covers what the database returns.
    event.data = json.loads(json.dumps(event.data))
    event.hash = link_hash(event.prev_hash, event)
    event.save()
    head.last_hash = event.hash
    head.last_event_id = event.pk
    head.save(update_fields=["last_hash", "last_event_id"])
    return event


@dataclass(frozen=True)
class Broken:
    event_id: int
    reason: str


def verify(events: Iterator[AuditEvent] | None = None) -> tuple[int, Broken | None]:
    """Walk the chain in insertion order: (events checked, the first broken link or None)."""
    rows: Any = events if events is not None else AuditEvent.objects.order_by("id").iterator()
    prev = GENESIS
    checked = 0
    for event in rows:
        if event.prev_hash != prev:
            return checked, Broken(
                event.pk,
                "its previous hash does not match: an event "
                "before it was changed, removed or inserted",
            )
        if link_hash(event.prev_hash, event) != event.hash:
            return checked, Broken(event.pk, "its content does not match its hash: it was changed")
        prev = event.hash
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and checked and head.last_hash != prev:
        return checked, Broken(head.last_event_id or 0, "the newest events were removed")
    return checked, None
