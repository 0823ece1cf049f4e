from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from videocontact.rooms.models import RoomConnection
from videocontact.visits.models import Participant, ParticipantState

LobbyDetails = Callable[[uuid.UUID], dict[uuid.UUID, dict[str, Any]]]
_lobby_details: list[LobbyDetails] = []


def register_lobby_details(provider: LobbyDetails) -> None:
    """Apps above add fields to a participant's row in the caseworker's waiting-room panel:
    `provider(visit_id)` → {participant_id: {field: value}} (notifications: the SMS code step)."""
    if provider not in _lobby_details:
        _lobby_details.append(provider)


def _details(visit_id: uuid.UUID) -> dict[uuid.UUID, dict[str, Any]]:
    merged: dict[uuid.UUID, dict[str, Any]] = {}
    for provider in _lobby_details:
        for participant_id, fields in provider(visit_id).items():
            merged.setdefault(participant_id, {}).update(fields)
    return merged


def dead_before(now: datetime | None = None) -> datetime:
    """A server instance whose last heartbeat is older than this is dead (rooms/liveness.py)."""
    return (now or timezone.now()) - timedelta(seconds=settings.ROOM_INSTANCE_DEAD_SECONDS)


def live_connections(now: datetime | None = None) -> QuerySet[RoomConnection]:
    """Connections held by a live server instance (or written outside any server: tests, the
    shell). A killed instance's connections stop counting at once, before they are swept."""
    return RoomConnection.objects.filter(
        Q(instance__isnull=True) | Q(instance__heartbeat_at__gte=dead_before(now))
    )


def connection_is_current(*, peer_id: uuid.UUID, channel_name: str) -> bool:
    """False for a socket that a newer one (a reconnect of the same page) has superseded. Its
    writes must not land: the new socket's snapshot was taken without them, so a late one could
    put an older answer back over a newer one."""
    return RoomConnection.objects.filter(peer_id=peer_id, channel_name=channel_name).exists()


def current_of(sockets: set[tuple[uuid.UUID, str]]) -> set[tuple[uuid.UUID, str]]:
    """Those of the (peer id, channel name) sockets that are current (`connection_is_current`
    for many sockets in one query)."""
    if not sockets:
        return set()
    rows = RoomConnection.objects.filter(
        peer_id__in={peer for peer, _ in sockets}, channel_name__in={ch for _, ch in sockets}
    ).values_list("peer_id", "channel_name")
    return set(rows) & sockets


def present_connections(visit_id: uuid.UUID) -> list[RoomConnection]:
    """The live connections of the visit's admitted participants (with their participant), in
    the call: a connection from a new device waits for the caseworker."""
    return list(
        live_connections()
        .filter(
            participant__visit_id=visit_id,
            participant__state=ParticipantState.ADMITTED,
            new_device=False,
        )
        .select_related("participant")
    )


@dataclass(frozen=True)
class Lobby:
    """What the caseworker's waiting-room panel shows of a visit (rooms/payloads.py shapes it)."""

    participants: list[Participant]  # not removed, not staff
    online: set[uuid.UUID]  # participants with a live connection from their own device
    new_devices: list[RoomConnection]  # live connections from another device, with participant
    details: dict[uuid.UUID, dict[str, Any]]  # the fields apps above add (register_lobby_details)
    in_call: int

    @property
    def waiting(self) -> list[Participant]:
        """Waiting participants who are online, in the order of `participants`."""
        return [
            p
            for p in self.participants
            if p.state == ParticipantState.WAITING and p.id in self.online
        ]


def lobby(visit_id: uuid.UUID) -> Lobby:
    participants = Participant.objects.filter(visit_id=visit_id, removed_at__isnull=True).exclude(
        user__isnull=False
    )
    online = set(
        live_connections()
        .filter(participant__visit_id=visit_id, new_device=False)
        .values_list("participant_id", flat=True)
    )
    # A browser other than the one the link is bound to (a forwarded link?): the caseworker decides.
    new_devices = list(
        live_connections()
        .filter(participant__visit_id=visit_id, new_device=True)
        .select_related("participant")
    )
    return Lobby(
        participants=list(participants),
        online=online,
        new_devices=new_devices,
        details=_details(visit_id),
        in_call=admitted_count(visit_id),
    )


def admitted_count(visit_id: uuid.UUID, *, exclude: uuid.UUID | None = None) -> int:
    """Admitted participants who hold a place: online, or gone less than the grace period."""
    grace = timezone.now() - timedelta(seconds=settings.ROOM_RECONNECT_GRACE_SECONDS)
    qs = Participant.objects.filter(visit_id=visit_id, state=ParticipantState.ADMITTED)
    if exclude is not None:
        qs = qs.exclude(id=exclude)
    online = set(
        live_connections()
        .filter(participant__visit_id=visit_id)
        .values_list("participant_id", flat=True)
    )
    return sum(
        1 for p in qs if p.id in online or (p.last_seen_at is not None and p.last_seen_at >= grace)
    )
