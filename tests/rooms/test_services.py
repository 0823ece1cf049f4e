"""Live connections (peers): open, replace, close, media."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import GroupListener
from videocontact.rooms import events
from videocontact.rooms import services as room_services
from videocontact.rooms.models import RoomConnection
from videocontact.visits.models import Participant, ParticipantState, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest(visit: Visit) -> Participant:
    return factories.make_participant(
        visit=visit, state=ParticipantState.ADMITTED, display_name="Tolk"
    )


def test_open_registers_a_peer_and_updates_the_lobby(
    visit: Visit, guest: Participant, django_capture_on_commit_callbacks
) -> None:
    listener = GroupListener(events.staff_group(visit.id))
    with django_capture_on_commit_callbacks(execute=True):
        connection = room_services.connection_open(participant=guest, channel_name="a!1")
    assert RoomConnection.objects.get().peer_id == connection.peer_id
    (message,) = listener.receive(1)
    assert message["frame"]["type"] == "lobby"


def test_a_second_connection_replaces_the_first(
    visit: Visit, guest: Participant, django_capture_on_commit_callbacks
) -> None:
    first = room_services.connection_open(participant=guest, channel_name="a!1")
    listener = GroupListener(events.peer_group(first.peer_id))

    with django_capture_on_commit_callbacks(execute=True):
        second = room_services.connection_open(participant=guest, channel_name="a!2")

    assert list(RoomConnection.objects.values_list("peer_id", flat=True)) == [second.peer_id]
    assert second.peer_id != first.peer_id
    assert listener.receive(1) == [{"type": "room.replaced"}]


def test_close_forgets_the_peer_and_publishes_presence(
    visit: Visit, guest: Participant, django_capture_on_commit_callbacks
) -> None:
    connection = room_services.connection_open(participant=guest, channel_name="a!1")
    listener = GroupListener(events.visit_group(visit.id), events.staff_group(visit.id))

    with django_capture_on_commit_callbacks(execute=True):
        room_services.connection_close(peer_id=connection.peer_id)

    assert not RoomConnection.objects.exists()
    guest.refresh_from_db()
    assert guest.last_seen_at is not None
    frames = sorted(m["frame"]["type"] for m in listener.receive(2))
    assert frames == ["lobby", "presence"]
    room_services.connection_close(peer_id=connection.peer_id)  # closing twice is harmless


def test_set_media(visit: Visit, guest: Participant, django_capture_on_commit_callbacks) -> None:
    connection = room_services.connection_open(participant=guest, channel_name="a!1")
    listener = GroupListener(events.visit_group(visit.id))

    with django_capture_on_commit_callbacks(execute=True):
        room_services.connection_set_media(
            peer_id=connection.peer_id, audio=False, video=True, facing="environment"
        )

    (message,) = listener.receive(1)
    (peer,) = message["frame"]["peers"]
    assert (peer["audio"], peer["video"], peer["facing"]) == (False, True, "environment")
    room_services.connection_set_media(
        peer_id=connection.peer_id, audio=True, video=False, facing=None
    )
    connection.refresh_from_db()
    assert (connection.audio, connection.video, connection.facing) == (True, False, "")


def test_presence_publish_now(visit: Visit, guest: Participant) -> None:
    room_services.connection_open(participant=guest, channel_name="a!1")
    listener = GroupListener(events.visit_group(visit.id))
    room_services.presence_publish_now(visit_id=visit.id)
    (message,) = listener.receive(1)
    assert message == {
        "type": "room.frame",
        "frame": {
            "type": "presence",
            "seq": message["frame"]["seq"],
            "peers": message["frame"]["peers"],
        },
    }
    assert [p["name"] for p in message["frame"]["peers"]] == ["Tolk"]
