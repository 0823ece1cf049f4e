"""Write side of live connections (peers)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from videocontact.rooms import events
from videocontact.rooms.access import RoomIdentity, can_join
from videocontact.rooms.models import RoomConnection
from videocontact.rooms.receivers import publish_lobby, publish_presence
from videocontact.rooms.selectors import presence_frame
from videocontact.visits.models import Participant
from videocontact.visits.services import participant_enter_room


@dataclass(frozen=True)
class RoomJoin:
    identity: RoomIdentity
    state: str
    connection: RoomConnection
    peers: list[dict[str, Any]] | None  # for an admitted peer: who is in the call, self included


def room_join(
    *, visit_id: uuid.UUID, user: Any, session: Any, channel_name: str
) -> RoomJoin | None:
    """Everything a new socket needs, in one call: who it is, its state, its peer.

    Returns None without access; raises VisitError (room_full, forbidden) when refused.
    """
    identity = can_join(visit_id=visit_id, user=user, session=session)
    if identity is None:
        return None
    state = participant_enter_room(participant=identity.participant, is_staff=identity.is_staff)
    connection = connection_open(participant=identity.participant, channel_name=channel_name)
    peers = presence_frame(visit_id)["peers"] if state == "admitted" else None
    return RoomJoin(identity=identity, state=state, connection=connection, peers=peers)


@transaction.atomic
def connection_open(*, participant: Participant, channel_name: str) -> RoomConnection:
    """Register a new peer; older peers of the same participant are told they were replaced."""
    for old_peer in RoomConnection.objects.filter(participant=participant).values_list(
        "peer_id", flat=True
    ):
        events.publish_on_commit(events.peer_group(old_peer), {"type": "room.replaced"})
    RoomConnection.objects.filter(participant=participant).delete()
    connection = RoomConnection.objects.create(participant=participant, channel_name=channel_name)
    publish_lobby(participant.visit_id)
    return connection


@transaction.atomic
def connection_close(*, peer_id: uuid.UUID) -> None:
    connection = RoomConnection.objects.select_related("participant").filter(pk=peer_id).first()
    if connection is None:
        return
    participant = connection.participant
    connection.delete()
    Participant.objects.filter(pk=participant.pk).update(last_seen_at=timezone.now())
    publish_presence(participant.visit_id)


def connection_touch(*, peer_id: uuid.UUID) -> None:
    now = timezone.now()
    connection = RoomConnection.objects.filter(pk=peer_id)
    connection.update(last_seen_at=now)
    Participant.objects.filter(connections__peer_id=peer_id).update(last_seen_at=now)


@transaction.atomic
def connection_set_media(
    *, peer_id: uuid.UUID, audio: bool, video: bool, facing: str | None
) -> None:
    connection = RoomConnection.objects.select_related("participant").filter(pk=peer_id).first()
    if connection is None:
        return
    connection.audio, connection.video, connection.facing = audio, video, facing or ""
    connection.save(update_fields=["audio", "video", "facing"])
    publish_presence(connection.participant.visit_id)


def presence_publish_now(*, visit_id: uuid.UUID) -> None:
    events.send_now(events.visit_group(visit_id), events.frame_event(presence_frame(visit_id)))
