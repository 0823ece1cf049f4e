"""A second browser with a resident's link (a forwarded link) waits apart as a "new device";
the caseworker lets it in (it replaces the browser the link was bound to) or refuses it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import User
from videocontact.privacy.audit import audit
from videocontact.rooms import events
from videocontact.rooms.liveness import INSTANCE_ID, instance_register
from videocontact.rooms.models import RoomConnection
from videocontact.rooms.receivers import publish_lobby, publish_presence
from videocontact.visits.models import Participant, ParticipantState
from videocontact.visits.services import participant_admit


@transaction.atomic
def new_device_open(*, participant: Participant, channel_name: str, device: str) -> RoomConnection:
    """The socket of a browser the link is not bound to. The participant's own connection (and
    state) stay as they are; an earlier new device of the same participant is replaced."""
    earlier = RoomConnection.objects.filter(participant=participant, new_device=True)
    for old_peer in earlier.values_list("peer_id", flat=True):
        events.publish_on_commit(events.peer_group(old_peer), {"type": "room.replaced"})
    earlier.delete()
    instance_register()
    connection = RoomConnection.objects.create(
        participant=participant,
        channel_name=channel_name,
        new_device=True,
        device_hash=device,
        instance_id=INSTANCE_ID,
    )
    audit(
        action="participant.new_device",
        obj=participant,
        actor_participant_id=participant.id,
        visit_id=participant.visit_id,
    )
    publish_lobby(participant.visit_id)
    return connection


def pending_device(participant: Participant) -> RoomConnection | None:
    return RoomConnection.objects.filter(participant=participant, new_device=True).first()


@transaction.atomic
def new_device_admit(*, participant: Participant, by_user: User) -> None:
    """The caseworker lets the new device in: the link is bound to it and the old browser is
    told it was replaced."""
    pending = (
        RoomConnection.objects.select_for_update()
        .filter(participant=participant, new_device=True)
        .first()
    )
    if pending is None:
        return
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    locked.device_hash = pending.device_hash
    locked.save(update_fields=["device_hash"])
    old = RoomConnection.objects.filter(participant=locked, new_device=False)
    for old_peer in old.values_list("peer_id", flat=True):
        events.publish_on_commit(events.peer_group(old_peer), {"type": "room.replaced"})
    old.delete()
    pending.new_device = False
    pending.save(update_fields=["new_device"])
    audit(
        action="participant.device_admitted",
        obj=locked,
        actor_user=by_user,
        visit_id=locked.visit_id,
    )
    if locked.state != ParticipantState.ADMITTED:
        Participant.objects.filter(pk=locked.pk).update(
            state=ParticipantState.WAITING, waiting_since=timezone.now()
        )
        participant_admit(participant=locked, by_user=by_user)
    events.publish_on_commit(events.peer_group(pending.peer_id), {"type": "room.device_admitted"})
    publish_presence(locked.visit_id)


@transaction.atomic
def new_device_deny(*, participant: Participant, by_user: User) -> None:
    """The caseworker refuses the new device; the participant's own browser stays in."""
    pending = RoomConnection.objects.filter(participant=participant, new_device=True).first()
    if pending is None:
        return
    audit(
        action="participant.device_denied",
        obj=participant,
        actor_user=by_user,
        visit_id=participant.visit_id,
    )
    events.publish_on_commit(events.peer_group(pending.peer_id), {"type": "room.device_denied"})
    pending.delete()
    publish_lobby(participant.visit_id)
