"""A reconnecting page keeps its peer id (resume secret, bound to the browser session), so the
call carries on without renegotiation; ghosts of a killed server process are swept."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from tests import factories
from tests.rooms.conftest import RoomFactory, enter_call
from videocontact.rooms import liveness
from videocontact.rooms.models import PeerResume, RoomConnection, ServerInstance
from videocontact.rooms.payloads import lobby_frame, presence_frame
from videocontact.rooms.selectors import admitted_count
from videocontact.visits.models import Participant, ParticipantState, Visit

pytestmark = pytest.mark.django_db(transaction=True)

RESUME = "vc.resume."


async def test_welcome_issues_a_resume_secret_stored_only_as_a_hash(
    room: RoomFactory, visit: Visit, staff_key: str
) -> None:
    client = room(visit.id, staff_key, subprotocols=["vc.v1"])
    welcome = await client.join()
    secret = welcome["resume"]
    assert isinstance(secret, str) and len(secret) >= 40
    stored = await database_sync_to_async(lambda: list(PeerResume.objects.all()))()
    assert [str(r.peer_id) for r in stored] == [client.peer_id]
    assert secret not in stored[0].secret_hash


async def test_a_reconnect_with_the_secret_keeps_the_peer_id_and_changes_nothing(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    secret = res.welcome["resume"]
    peer_id = res.peer_id
    # The server process dies: its consumers never run disconnect (the row stays).
    res.comm.future.cancel()
    again = room(visit.id, resident_key, subprotocols=["vc.v1", RESUME + secret])
    welcome = await again.join()
    assert welcome["self"]["peerId"] == peer_id
    assert welcome["state"] == "admitted"
    assert "resume" not in welcome  # the page keeps the secret it has
    assert {p["peerId"] for p in welcome["peers"]} == {staff.peer_id, peer_id}
    count = await database_sync_to_async(RoomConnection.objects.count)()
    assert count == 2


async def test_a_secret_from_another_session_gets_a_new_peer(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    _staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    secret = res.welcome["resume"]
    await res.close()
    other_key = await database_sync_to_async(factories.participant_session)(resident)
    again = room(visit.id, other_key, subprotocols=["vc.v1", RESUME + secret])
    welcome = await again.join()
    assert welcome["self"]["peerId"] != res.peer_id
    # Another browser session is another device (the link is bound to the first one): it waits
    # for the caseworker as a new device, with a peer of its own and no resume secret.
    assert welcome.get("newDevice") is True
    assert welcome.get("resume") != secret


async def test_a_wrong_secret_gets_a_new_peer(
    room: RoomFactory, visit: Visit, staff_key: str
) -> None:
    first = room(visit.id, staff_key, subprotocols=["vc.v1"])
    await first.join()
    await first.close()
    again = room(visit.id, staff_key, subprotocols=["vc.v1", RESUME + "x" * 43])
    welcome = await again.join()
    assert welcome["self"]["peerId"] != first.peer_id


async def test_the_old_socket_of_a_resumed_peer_does_not_remove_the_new_one(
    room: RoomFactory, visit: Visit, staff_key: str
) -> None:
    first = room(visit.id, staff_key, subprotocols=["vc.v1"])
    welcome = await first.join()
    again = room(visit.id, staff_key, subprotocols=["vc.v1", RESUME + welcome["resume"]])
    await again.join()
    assert again.peer_id == first.peer_id
    await first.expect("replaced")  # a still-open old page (a duplicated tab) is told so
    await first.close()
    rows = await database_sync_to_async(lambda: list(RoomConnection.objects.all()))()
    assert [str(r.peer_id) for r in rows] == [again.peer_id]


# Liveness ------------------------------------------------------------------------------------


def test_heartbeat_keeps_participants_fresh_without_a_write_per_ping(
    visit: Visit, settings
) -> None:
    from videocontact.rooms import services as room_services

    guest = factories.make_participant(visit=visit, state=ParticipantState.ADMITTED)
    room_services.connection_open(participant=guest, channel_name="a!1")
    long_ago = timezone.now() - timedelta(hours=1)
    Participant.objects.filter(pk=guest.pk).update(last_seen_at=long_ago)
    liveness.instance_heartbeat()
    guest.refresh_from_db()
    assert guest.last_seen_at > long_ago
    assert ServerInstance.objects.filter(id=liveness.INSTANCE_ID).exists()


def test_a_dead_instance_is_swept_and_stops_counting_at_once(
    visit: Visit, settings, django_capture_on_commit_callbacks
) -> None:
    from tests.helpers import GroupListener
    from videocontact.rooms import events
    from videocontact.rooms import services as room_services

    guests = [
        factories.make_participant(visit=visit, state=ParticipantState.ADMITTED) for _ in range(2)
    ]
    dead = ServerInstance.objects.create(
        id=uuid.uuid4(),
        heartbeat_at=timezone.now() - timedelta(seconds=settings.ROOM_INSTANCE_DEAD_SECONDS + 1),
    )
    ghost = room_services.connection_open(participant=guests[0], channel_name="a!ghost")
    RoomConnection.objects.filter(pk=ghost.pk).update(instance=dead)
    room_services.connection_open(participant=guests[1], channel_name="a!live")
    Participant.objects.filter(pk=guests[0].pk).update(
        last_seen_at=timezone.now() - timedelta(hours=1)
    )

    # Before the sweep: presence, lobby and capacity count only the live connection.
    assert [p["participantId"] for p in presence_frame(visit.id)["peers"]] == [str(guests[1].id)]
    online = {p["participantId"]: p["online"] for p in lobby_frame(visit.id)["participants"]}
    assert online[str(guests[0].id)] is False
    assert admitted_count(visit.id) == 1

    listener = GroupListener(events.visit_group(visit.id))
    with django_capture_on_commit_callbacks(execute=True):
        assert liveness.instances_sweep() == 1
    assert not RoomConnection.objects.filter(pk=ghost.pk).exists()
    assert not ServerInstance.objects.filter(pk=dead.pk).exists()
    (event,) = listener.receive(1)
    assert event["frame"]["type"] == "presence"
    assert liveness.instances_sweep() == 0


def test_a_superseded_socket_is_not_current(visit: Visit) -> None:
    """Its answer writes are refused: they could land after the new socket's snapshot and put
    an older answer back (the consumer checks before answer_save)."""
    from videocontact.rooms import services as room_services
    from videocontact.rooms.selectors import connection_is_current

    guest = factories.make_participant(visit=visit, state=ParticipantState.ADMITTED)
    connection = room_services.connection_open(participant=guest, channel_name="a!old")
    assert connection_is_current(peer_id=connection.peer_id, channel_name="a!old")
    room_services.connection_open(
        participant=guest, channel_name="a!new", peer_id=connection.peer_id
    )
    assert not connection_is_current(peer_id=connection.peer_id, channel_name="a!old")
    assert connection_is_current(peer_id=connection.peer_id, channel_name="a!new")
