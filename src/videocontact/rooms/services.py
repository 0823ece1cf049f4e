"""Write side of live connections (peers)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from videocontact.rooms import events
from videocontact.rooms.access import RoomIdentity, can_join
from videocontact.rooms.devices import new_device_open
from videocontact.rooms.liveness import INSTANCE_ID, instance_register
from videocontact.rooms.models import PeerResume, RoomConnection
from videocontact.rooms.payloads import presence_frame, presence_snapshot
from videocontact.rooms.receivers import publish_lobby, publish_presence
from videocontact.visits.devices import device_bind
from videocontact.visits.models import Participant
from videocontact.visits.services import participant_enter_room
from videocontact.visits.session import session_device


@dataclass(frozen=True)
class RoomJoin:
    identity: RoomIdentity
    state: str
    connection: RoomConnection
    peers: list[dict[str, Any]] | None  # for an admitted peer: who is in the call, self included
    presence_seq: int = 0  # the number of that snapshot (rooms/sequence.py)
    new_device: bool = False  # another browser than the link's: waits for the caseworker
    resume: str | None = None  # a new resume secret for the page (None: its own one still holds)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _session_key(session: Any) -> str:
    return str(getattr(session, "session_key", None) or "")


def peer_resume_find(
    *, participant: Participant, session: Any, secret: str | None
) -> uuid.UUID | None:
    """The peer id a resume secret stands for, if it was issued to this participant in this
    browser session; None otherwise (a guessed, stale or copied secret gets a new peer id)."""
    key = _session_key(session)
    if not secret or not key or len(secret) > 100:
        return None
    found = PeerResume.objects.filter(
        participant=participant, session_key=key, secret_hash=_hash(secret)
    ).first()
    return found.peer_id if found is not None else None


def peer_resume_issue(*, participant: Participant, session: Any, peer_id: uuid.UUID) -> str | None:
    """A new resume secret for this peer id (the participant's earlier ones stop working)."""
    key = _session_key(session)
    if not key:
        return None
    secret = secrets.token_urlsafe(32)
    PeerResume.objects.filter(participant=participant).delete()
    PeerResume.objects.create(
        peer_id=peer_id, participant=participant, session_key=key, secret_hash=_hash(secret)
    )
    return secret


def room_join(
    *,
    visit_id: uuid.UUID,
    user: Any,
    session: Any,
    channel_name: str,
    resume: str | None = None,
) -> RoomJoin | None:
    """Everything a new socket needs, in one call: who it is, its state, its peer.

    With a valid resume secret the socket keeps the peer id it had, so the calls it is in carry
    on untouched. Returns None without access; raises VisitError (room_full, forbidden).
    """
    identity = can_join(visit_id=visit_id, user=user, session=session)
    if identity is None:
        return None
    participant = identity.participant
    if not identity.is_staff:
        device = session_device(session)
        if not device_bind(participant=participant, device=device):
            connection = new_device_open(
                participant=participant, channel_name=channel_name, device=device
            )
            return RoomJoin(identity, "waiting", connection, None, new_device=True)
    participant = identity.participant
    state = participant_enter_room(participant=participant, is_staff=identity.is_staff)
    with transaction.atomic():
        peer_id = peer_resume_find(participant=participant, session=session, secret=resume)
        secret = None
        if peer_id is None:
            peer_id = uuid.uuid4()
            secret = peer_resume_issue(participant=participant, session=session, peer_id=peer_id)
        connection = connection_open(
            participant=participant, channel_name=channel_name, peer_id=peer_id
        )
    seq, peers = presence_snapshot(visit_id) if state == "admitted" else (0, None)
    return RoomJoin(
        identity=identity,
        state=state,
        connection=connection,
        peers=peers,
        presence_seq=seq,
        resume=secret,
    )


@transaction.atomic
def connection_open(
    *, participant: Participant, channel_name: str, peer_id: uuid.UUID | None = None
) -> RoomConnection:
    """Register a peer on this server instance; the participant's other peers are told they
    were replaced. A resumed peer id takes over its own row (whose socket is gone) silently."""
    instance_register()
    others = RoomConnection.objects.filter(participant=participant, new_device=False)
    if peer_id is not None:
        others = others.exclude(peer_id=peer_id)
    for old_peer in others.values_list("peer_id", flat=True):
        events.publish_on_commit(events.peer_group(old_peer), {"type": "room.replaced"})
    others.delete()
    values = {
        "participant": participant,
        "channel_name": channel_name,
        "instance_id": INSTANCE_ID,
        "last_seen_at": timezone.now(),
    }
    if peer_id is None:
        connection = RoomConnection.objects.create(**values)
    else:
        previous = RoomConnection.objects.filter(peer_id=peer_id).first()
        if previous is not None and previous.channel_name != channel_name:
            # Normally a dead socket; if it still lives (a duplicated tab took the secret along)
            # that page is told it was replaced, like any older page of this participant.
            events.send_to_channel_on_commit(previous.channel_name, {"type": "room.replaced"})
        connection, _ = RoomConnection.objects.update_or_create(peer_id=peer_id, defaults=values)
    publish_lobby(participant.visit_id)
    return connection


@transaction.atomic
def connection_close(*, peer_id: uuid.UUID, channel_name: str | None = None) -> None:
    """The socket is gone. With channel_name, only if the row is still that socket's: a resumed
    peer may already have taken the row over from a newer socket."""
    connection = RoomConnection.objects.select_related("participant").filter(pk=peer_id).first()
    if connection is None:
        return
    if channel_name is not None and connection.channel_name != channel_name:
        return
    participant = connection.participant
    connection.delete()
    Participant.objects.filter(pk=participant.pk).update(last_seen_at=timezone.now())
    publish_presence(participant.visit_id)


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
