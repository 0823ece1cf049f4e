"""Presence (who is in the call), the lobby (who waits) and the count of places taken."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests import factories
from videocontact.accounts.models import Process, User
from videocontact.rooms.models import RoomConnection
from videocontact.rooms.payloads import lobby_frame, presence_frame
from videocontact.rooms.selectors import admitted_count
from videocontact.visits.models import Participant, ParticipantRole, ParticipantState, Visit

pytestmark = pytest.mark.django_db


def connect(participant: Participant, **kwargs: Any) -> RoomConnection:
    return RoomConnection.objects.create(participant=participant, channel_name="test!x", **kwargs)


def test_presence_lists_connected_admitted_peers_only(visit: Visit) -> None:
    admitted = factories.make_participant(
        visit=visit,
        state=ParticipantState.ADMITTED,
        role=ParticipantRole.INTERPRETER,
        display_name="Tolk",
    )
    waiting = factories.make_participant(visit=visit, state=ParticipantState.WAITING)
    factories.make_participant(visit=visit, state=ParticipantState.ADMITTED)  # not connected
    peer = connect(admitted, audio=False, video=True, facing="environment")
    connect(waiting)

    frame = presence_frame(visit.id)
    assert isinstance(frame.pop("seq"), int)  # orders snapshots (rooms/sequence.py)
    assert frame == {
        "type": "presence",
        "peers": [
            {
                "peerId": str(peer.peer_id),
                "participantId": str(admitted.id),
                "role": "interpreter",
                "name": "Tolk",
                "audio": False,
                "video": True,
                "facing": "environment",
            }
        ],
    }


def test_presence_does_not_leak_other_visits(
    visit: Visit, process: Process, caseworker: User
) -> None:
    other, _ = factories.make_visit(process=process, caseworker=caseworker)
    connect(factories.make_participant(visit=other, state=ParticipantState.ADMITTED))
    assert presence_frame(visit.id)["peers"] == []
    assert lobby_frame(visit.id)["participants"] == [
        {
            "participantId": str(p.id),
            "role": p.role,
            "name": p.display_name,
            "state": p.state,
            "online": False,
        }
        for p in visit.participants.filter(user__isnull=True)
    ]


def test_lobby_lists_waiting_participants_who_are_online(
    visit: Visit, resident: Participant
) -> None:
    since = timezone.now()
    online = factories.make_participant(
        visit=visit, state=ParticipantState.WAITING, waiting_since=since, display_name="Online"
    )
    factories.make_participant(visit=visit, state=ParticipantState.WAITING, display_name="Weg")
    connect(online)
    in_call = factories.make_participant(visit=visit, state=ParticipantState.ADMITTED)
    connect(in_call)

    lobby = lobby_frame(visit.id)

    assert lobby["type"] == "lobby"
    assert lobby["waiting"] == [
        {
            "participantId": str(online.id),
            "role": "family",
            "name": "Online",
            "since": since.isoformat(),
        }
    ]
    assert lobby["inCall"] == 1
    names = {p["name"]: p for p in lobby["participants"]}
    assert set(names) == {"Amina Haddad", "Online", "Weg", in_call.display_name}
    assert names["Online"]["online"] and not names["Weg"]["online"]
    assert names["Amina Haddad"]["state"] == "invited"


def test_admitted_count_holds_places_during_the_grace_period(visit: Visit, settings: Any) -> None:
    grace = timedelta(seconds=settings.ROOM_RECONNECT_GRACE_SECONDS)
    now = timezone.now()
    online = factories.make_participant(
        visit=visit, state=ParticipantState.ADMITTED, last_seen_at=now - 2 * grace
    )
    connect(online)
    recent = factories.make_participant(
        visit=visit, state=ParticipantState.ADMITTED, last_seen_at=now - grace / 2
    )
    factories.make_participant(
        visit=visit, state=ParticipantState.ADMITTED, last_seen_at=now - 2 * grace
    )
    factories.make_participant(visit=visit, state=ParticipantState.WAITING, last_seen_at=now)

    assert admitted_count(visit.id) == 2
    assert admitted_count(visit.id, exclude=recent.id) == 1
    assert admitted_count(visit.id, exclude=online.id) == 1
