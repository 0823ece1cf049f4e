"""Delivery reports from the SMS provider (CM.com)."""

from __future__ import annotations

from django.db import transaction

from videocontact.notifications.models import (
    Channel,
    Message,
    MessageState,
)
from videocontact.notifications.services.delivery import _fail
from videocontact.visits import services as visit_services

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
