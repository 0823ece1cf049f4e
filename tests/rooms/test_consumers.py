"""The room WebSocket (docs/protocol.md) against the real ASGI stack, database and channel layer:
identity, the waiting room, the call, relays, and how connections end."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import timedelta
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from tests import factories
from tests.rooms.conftest import RoomFactory, enter_call
from videocontact.accounts.models import Process, User
from videocontact.privacy.models import AuditEvent
from videocontact.rooms.models import RoomConnection
from videocontact.visits import services
from videocontact.visits.models import (
    Participant,
    ParticipantRole,
    ParticipantState,
    Visit,
    VisitStatus,
)

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def state_of(participant: Participant) -> str:
    return Participant.objects.get(pk=participant.pk).state


@database_sync_to_async
def visit_status(visit: Visit) -> str:
    return Visit.objects.get(pk=visit.pk).status


# Identity -----------------------------------------------------------------------------------


async def test_no_identity_is_refused(room: RoomFactory, visit: Visit) -> None:
    client = room(visit.id)
    assert await client.connect()
    await client.expect_error("unauthorized")
    await client.expect_closed(4401)


async def test_unknown_session_is_refused(room: RoomFactory, visit: Visit) -> None:
    client = room(visit.id, "no-such-session-key")
    assert await client.connect()
    await client.expect_error("unauthorized")
    await client.expect_closed(4401)


async def test_staff_of_another_organisation_is_refused(
    room: RoomFactory, visit: Visit, outsider: User
) -> None:
    key = await database_sync_to_async(factories.staff_session)(outsider)
    client = room(visit.id, key)
    assert await client.connect()
    await client.expect_error("unauthorized")
    await client.expect_closed(4401)
    assert not await database_sync_to_async(Participant.objects.filter(user=outsider).exists)()


async def test_resident_session_of_another_visit_is_refused(
    room: RoomFactory,
    visit: Visit,
    resident_key: str,
    process: Process,
    caseworker: User,
) -> None:
    other, _ = await database_sync_to_async(factories.make_visit)(
        process=process, caseworker=caseworker
    )
    client = room(other.id, resident_key)
    assert await client.connect()
    await client.expect_error("unauthorized")
    await client.expect_closed(4401)


async def test_foreign_origin_is_rejected(room: RoomFactory, visit: Visit, staff_key: str) -> None:
    client = room(visit.id, staff_key, origin=b"https://evil.example")
    assert not await client.connect()


@pytest.mark.parametrize("state", [ParticipantState.INVITED, ParticipantState.DECLINED])
async def test_resident_without_consent_is_refused(
    room: RoomFactory, visit: Visit, resident: Participant, state: str
) -> None:
    await database_sync_to_async(Participant.objects.filter(pk=resident.pk).update)(state=state)
    key = await database_sync_to_async(factories.participant_session)(resident)
    client = room(visit.id, key)
    assert await client.connect()
    await client.expect_error("forbidden")
    await client.expect_closed(4403)
    assert not await database_sync_to_async(RoomConnection.objects.exists)()


async def test_welcome(
    room: RoomFactory, visit: Visit, staff_key: str, caseworker: User, settings: Any
) -> None:
    settings.STUN_URLS = ["stun:stun.example.test:3478"]
    staff = room(visit.id, staff_key)
    welcome = await staff.join()

    participant = await database_sync_to_async(Participant.objects.get)(user=caseworker)
    connection = await database_sync_to_async(RoomConnection.objects.get)()
    assert isinstance(welcome.pop("resume"), str)  # see test_resume.py
    assert welcome == {
        "type": "welcome",
        "v": 1,
        "self": {
            "peerId": str(connection.peer_id),
            "participantId": str(participant.id),
            "role": "caseworker",
            "name": "Sanne",
        },
        "state": "admitted",
        "maxParticipants": 4,
        "iceServers": [{"urls": ["stun:stun.example.test:3478"]}],
        "iceTransportPolicy": "all",
        "peers": [
            {
                "peerId": str(connection.peer_id),
                "participantId": str(participant.id),
                "role": "caseworker",
                "name": "Sanne",
                "audio": True,
                "video": True,
                "facing": None,
            }
        ],
    }
    presence = await staff.expect_presence(staff)
    assert presence["peers"] == [
        {
            "peerId": staff.peer_id,
            "participantId": str(participant.id),
            "role": "caseworker",
            "name": "Sanne",
            "audio": True,
            "video": True,
            "facing": None,
        }
    ]
    assert await visit_status(visit) == VisitStatus.ACTIVE


async def test_every_connection_is_a_new_peer(
    room: RoomFactory, visit: Visit, staff_key: str
) -> None:
    first = room(visit.id, staff_key)
    await first.join()
    await first.close()
    second = room(visit.id, staff_key)
    await second.join()
    assert second.peer_id != first.peer_id
    assert second.welcome["state"] == "admitted"


# Waiting room and call ----------------------------------------------------------------------


async def test_resident_waits_until_admitted(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff = room(visit.id, staff_key)
    await staff.join()
    res = room(visit.id, resident_key)
    welcome = await res.join()
    assert welcome["state"] == "waiting"
    assert welcome["self"] == {
        "peerId": res.peer_id,
        "participantId": str(resident.id),
        "role": "resident",
        "name": "Amina Haddad",
    }

    lobby = await staff.expect_lobby([str(resident.id)])
    (waiting,) = lobby["waiting"]
    assert waiting["role"] == "resident" and waiting["name"] == "Amina Haddad"
    assert waiting["since"]
    assert lobby["inCall"] == 1
    # a waiting resident sees nobody and receives nothing of the call
    assert res.received == [welcome]

    await staff.send({"type": "admit", "participant": str(resident.id)})
    await res.expect("admitted")
    presence = await res.expect_presence(staff, res)
    assert {p["role"] for p in presence["peers"]} == {"caseworker", "resident"}
    await staff.expect_presence(staff, res)
    await staff.expect("lobby", lambda f: f["waiting"] == [] and f["inCall"] == 2)
    assert await state_of(resident) == ParticipantState.ADMITTED


async def test_deny(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff = room(visit.id, staff_key)
    await staff.join()
    res = room(visit.id, resident_key)
    await res.join()
    await staff.expect_lobby([str(resident.id)])

    await staff.send({"type": "deny", "participant": str(resident.id)})

    await res.expect("denied")
    await staff.expect_lobby([])
    assert await state_of(resident) == ParticipantState.DENIED
    await res.ping()  # still connected, but not in the call
    await res.send({"type": "signal", "to": staff.peer_id, "candidate": None})
    await res.expect_error("forbidden")

    # Reloading the page does not put a denied participant back in the waiting room.
    await res.close()
    again = room(visit.id, resident_key)
    assert await again.connect()
    await again.expect_error("denied")
    await again.expect_closed(4403)
    assert await state_of(resident) == ParticipantState.DENIED
    await staff.expect_lobby([])


async def test_signal_relay(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    offer = {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}
    candidate = {
        "candidate": "candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host",
        "sdpMid": "0",
        "sdpMLineIndex": 0,
        "usernameFragment": "abcd",
    }

    await res.send({"type": "signal", "to": staff.peer_id, "description": offer})
    assert await staff.expect("signal") == {
        "type": "signal",
        "from": res.peer_id,
        "description": offer,
    }

    await staff.send({"type": "signal", "to": res.peer_id, "candidate": candidate})
    assert await res.expect("signal") == {
        "type": "signal",
        "from": staff.peer_id,
        "candidate": candidate,
    }

    await staff.send({"type": "signal", "to": res.peer_id, "candidate": None})
    assert await res.expect("signal") == {
        "type": "signal",
        "from": staff.peer_id,
        "candidate": None,
    }

    await res.send({"type": "signal", "to": staff.peer_id, "description": {"type": "rollback"}})
    assert (await staff.expect("signal"))["description"] == {"type": "rollback", "sdp": ""}

    # The staff page gets the resident's packets but cannot decode them: a key frame, please.
    await staff.send({"type": "signal", "to": res.peer_id, "keyframe": True})
    assert await res.expect("signal") == {"type": "signal", "from": staff.peer_id, "keyframe": True}


async def test_media_updates_presence(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)

    await res.send({"type": "media", "audio": False, "video": True, "facing": "environment"})

    def resident_muted(frame: dict) -> bool:
        peer = next(p for p in frame["peers"] if p["peerId"] == res.peer_id)
        return (peer["audio"], peer["video"], peer["facing"]) == (False, True, "environment")

    await staff.expect("presence", resident_muted)
    await res.expect("presence", resident_muted)


async def test_command_and_result(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)

    await staff.send(
        {
            "type": "command",
            "to": res.peer_id,
            "id": "cmd-1",
            "name": "switch-camera",
            "facing": "environment",
        }
    )
    assert await res.expect("command") == {
        "type": "command",
        "from": staff.peer_id,
        "id": "cmd-1",
        "name": "switch-camera",
        "facing": "environment",
    }

    await res.send({"type": "command-result", "to": staff.peer_id, "id": "cmd-1", "ok": True})
    assert await staff.expect("command-result") == {
        "type": "command-result",
        "from": res.peer_id,
        "id": "cmd-1",
        "ok": True,
    }


async def test_ice_refresh_gives_fresh_turn_credentials(
    room: RoomFactory,
    visit: Visit,
    staff_key: str,
    settings: Any,
) -> None:
    settings.STUN_URLS = []
    settings.TURN_URLS = ["turn:turn.example.test:443?transport=tcp"]
    settings.TURN_SECRET = "turn-secret"
    settings.TURN_CREDENTIAL_TTL = 600
    settings.ICE_TRANSPORT_POLICY = "relay"
    staff = room(visit.id, staff_key)
    welcome = await staff.join()
    assert welcome["iceTransportPolicy"] == "relay"

    before = int(time.time())
    await staff.send({"type": "ice-refresh"})
    frame = await staff.expect("ice-servers")
    after = int(time.time())

    assert frame["iceTransportPolicy"] == "relay"
    for servers in (welcome["iceServers"], frame["iceServers"]):
        (turn,) = servers
        assert turn["urls"] == ["turn:turn.example.test:443?transport=tcp"]
        expiry, peer = turn["username"].split(":", 1)
        assert peer == staff.peer_id
        assert before - 5 + 600 <= int(expiry) <= after + 600
        expected = hmac.new(b"turn-secret", turn["username"].encode(), hashlib.sha1).digest()
        assert base64.b64decode(turn["credential"]) == expected


async def test_leave(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)

    await res.send({"type": "leave"})

    await res.expect_closed(1000)
    await res.close()
    await staff.expect_presence(staff)
    assert await state_of(resident) == ParticipantState.LEFT
    assert await database_sync_to_async(
        AuditEvent.objects.filter(action="participant.left").exists
    )()


async def test_disconnect_removes_the_peer(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    await res.close()
    await staff.expect_presence(staff)
    # the place is kept for the grace period
    assert await state_of(resident) == ParticipantState.ADMITTED


async def test_reconnect_within_grace_goes_straight_back_into_the_call(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    await res.close()
    await staff.expect_presence(staff)

    again = room(visit.id, resident_key)
    welcome = await again.join()
    assert welcome["state"] == "admitted"
    await again.expect_presence(staff, again)
    await staff.expect_presence(staff, again)


async def test_reconnect_after_grace_waits_again(
    room: RoomFactory,
    visit: Visit,
    staff_key: str,
    resident_key: str,
    resident: Participant,
    settings: Any,
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    await res.close()
    await staff.expect_presence(staff)
    long_ago = timezone.now() - timedelta(seconds=settings.ROOM_RECONNECT_GRACE_SECONDS + 1)
    await database_sync_to_async(Participant.objects.filter(pk=resident.pk).update)(
        last_seen_at=long_ago
    )

    again = room(visit.id, resident_key)
    assert (await again.join())["state"] == "waiting"
    await staff.expect_lobby([str(resident.id)])


async def test_end(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    guest = await database_sync_to_async(factories.make_participant)(
        visit=visit, role=ParticipantRole.INTERPRETER
    )
    waiting = room(visit.id, await database_sync_to_async(factories.participant_session)(guest))
    assert (await waiting.join())["state"] == "waiting"

    await staff.send({"type": "end"})

    for client in (staff, res, waiting):
        assert await client.expect("ended") == {"type": "ended", "reason": "ended_by_staff"}
        await client.expect_closed(4410)
    assert await visit_status(visit) == VisitStatus.ENDED

    # nobody gets back in
    late = room(visit.id, resident_key)
    assert await late.connect()
    await late.expect_error("forbidden")
    await late.expect_closed(4403)
    late_staff = room(visit.id, staff_key)
    assert await late_staff.connect()
    await late_staff.expect_error("forbidden")
    await late_staff.expect_closed(4403)


async def test_second_connection_replaces_the_first(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)

    newer = room(visit.id, resident_key)
    welcome = await newer.join()

    await res.expect("replaced")
    await res.expect_closed(4409)
    assert welcome["state"] == "admitted"
    assert newer.peer_id != res.peer_id
    await newer.expect_presence(staff, newer)
    await staff.expect_presence(staff, newer)
    await newer.ping()
    peers = await database_sync_to_async(
        lambda: list(RoomConnection.objects.values_list("peer_id", flat=True))
    )()
    assert sorted(map(str, peers)) == sorted([staff.peer_id, newer.peer_id])


async def test_staff_are_replaced_too(room: RoomFactory, visit: Visit, staff_key: str) -> None:
    first = room(visit.id, staff_key)
    await first.join()
    second = room(visit.id, staff_key)
    await second.join()
    await first.expect("replaced")
    await first.expect_closed(4409)
    await second.ping()


async def test_colleague_joins_admitted(
    room: RoomFactory, visit: Visit, staff_key: str, colleague: User
) -> None:
    staff = room(visit.id, staff_key)
    await staff.join()
    second = room(visit.id, await database_sync_to_async(factories.staff_session)(colleague))
    welcome = await second.join()
    assert welcome["state"] == "admitted"
    assert welcome["self"]["role"] == "colleague"
    assert welcome["self"]["name"] == "Youssef"
    await staff.expect_presence(staff, second)
    await second.send(
        {
            "type": "command",
            "to": staff.peer_id,
            "id": "c",
            "name": "switch-camera",
            "facing": "user",
        }
    )
    assert (await staff.expect("command"))["from"] == second.peer_id


async def test_fifth_participant_is_refused_with_room_full(
    room: RoomFactory, visit: Visit, staff_key: str
) -> None:
    staff = room(visit.id, staff_key)
    await staff.join()

    @database_sync_to_async
    def three_in_call_and_one_waiting() -> Participant:
        for role in (ParticipantRole.RESIDENT, ParticipantRole.INTERPRETER, ParticipantRole.FAMILY):
            factories.make_participant(visit=visit, role=role, state=ParticipantState.ADMITTED)
        return factories.make_participant(visit=visit, display_name="Vijfde")

    fifth = await three_in_call_and_one_waiting()
    waiting = room(visit.id, await database_sync_to_async(factories.participant_session)(fifth))
    assert (await waiting.join())["state"] == "waiting"
    await staff.expect_lobby([str(fifth.id)])

    await staff.send({"type": "admit", "participant": str(fifth.id), "ref": "admit-5"})

    error = await staff.expect_error("room_full")
    assert error["ref"] == "admit-5"
    await staff.ping()
    await waiting.ping()
    assert await state_of(fifth) == ParticipantState.WAITING


async def test_staff_cannot_join_a_full_call(
    room: RoomFactory, visit: Visit, staff_key: str
) -> None:
    @database_sync_to_async
    def four_enter_call() -> None:
        for _ in range(4):
            factories.make_participant(visit=visit, state=ParticipantState.ADMITTED)

    await four_enter_call()
    staff = room(visit.id, staff_key)
    assert await staff.connect()
    await staff.expect_error("room_full")
    await staff.expect_closed(4429)


async def test_lobby_follows_consent_and_disconnects(
    room: RoomFactory, visit: Visit, staff_key: str, resident: Participant
) -> None:
    staff = room(visit.id, staff_key)
    await staff.join()

    await database_sync_to_async(services.consent_record)(
        participant=resident, accepted=True, language="nl"
    )
    await staff.expect(
        "lobby",
        lambda f: any(
            p["participantId"] == str(resident.id) and p["state"] == "consented"
            for p in f["participants"]
        ),
    )

    res = room(visit.id, await database_sync_to_async(factories.participant_session)(resident))
    await res.join()
    await staff.expect_lobby([str(resident.id)])
    await res.close()
    await staff.expect_lobby([])
