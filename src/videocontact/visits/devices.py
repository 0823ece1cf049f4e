"""A resident's link belongs to one browser: the first that got past the link and the code."""

from __future__ import annotations

from django.db import transaction

from videocontact.privacy.audit import audit
from videocontact.visits.models import Participant


@transaction.atomic
def device_bind(*, participant: Participant, device: str) -> bool:
    """Bind the participant to this device when no device is bound yet. True when this device
    is (now) the bound one; False for another browser (a forwarded link)."""
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if not locked.device_hash:
        locked.device_hash = device
        locked.save(update_fields=["device_hash"])
        audit(
            action="participant.device_bound",
            obj=locked,
            actor_participant_id=locked.id,
            visit_id=locked.visit_id,
        )
    participant.device_hash = locked.device_hash
    return locked.device_hash == device
