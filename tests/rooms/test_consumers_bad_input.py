"""Bad and unauthorised frames: each gets an `error` frame with the right code, and the connection
stays open and usable (a ping still gets its pong)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async

from tests import factories
from tests.clock import FakeClock
from tests.rooms.conftest import Call, RoomFactory, enter_call
from tests.ws import RoomClient
from videocontact.accounts.models import Process, User
from videocontact.rooms import ratelimit
from videocontact.visits import services
from videocontact.visits.models import Participant, ParticipantState, Visit

pytestmark = pytest.mark.django_db(transaction=True)

FrameFor = Callable[[RoomClient, RoomClient], Any]  # (staff, resident) -> frame (dict/str/bytes)


async def send_any(client: RoomClient, frame: Any) -> None:
    if isinstance(frame, bytes):
        await client.send_bytes(frame)
    elif isinstance(frame, str):
        await client.send_text(frame)
    else:
        await client.send(frame)


def signal_to(target: Callable[[RoomClient, RoomClient], str], **payload: Any) -> FrameFor:
    return lambda staff, res: {"type": "signal", "to": target(staff, res), **payload}


def staff_peer(staff: RoomClient, res: RoomClient) -> str:
    return staff.peer_id


# Sent by the resident, who is in the call --------------------------------------------------

RESIDENT_BAD: list[tuple[str, FrameFor, str]] = [
    ("binary frame", lambda s, r: b"\x00\x01binary", "bad_json"),
    ("invalid json", lambda s, r: '{"type": "ping"', "bad_json"),
    ("not json at all", lambda s, r: "hello", "bad_json"),
    ("json array", lambda s, r: '[{"type": "ping"}]', "invalid"),
    ("json string", lambda s, r: '"ping"', "invalid"),
    ("json null", lambda s, r: "null", "invalid"),
    ("json number", lambda s, r: "42", "invalid"),
    ("no type", lambda s, r: {}, "unknown_type"),
    ("unknown type", lambda s, r: {"type": "self-destruct"}, "unknown_type"),
    ("type not a string", lambda s, r: {"type": ["ping"]}, "unknown_type"),
    ("type null", lambda s, r: {"type": None}, "unknown_type"),
    ("version 2", lambda s, r: {"type": "ping", "v": 2}, "unsupported_version"),
    ("version 0", lambda s, r: {"type": "ping", "v": 0}, "unsupported_version"),
    ("version as string", lambda s, r: {"type": "ping", "v": "1"}, "unsupported_version"),
    ("version true", lambda s, r: {"type": "ping", "v": True}, "unsupported_version"),
    ("version 1.0", lambda s, r: {"type": "ping", "v": 1.0}, "unsupported_version"),
    ("version null", lambda s, r: {"type": "ping", "v": None}, "unsupported_version"),
    ("extra field", lambda s, r: {"type": "ping", "extra": True}, "invalid"),
    ("ref too long", lambda s, r: {"type": "ping", "ref": "r" * 65}, "invalid"),
    ("ref not a string", lambda s, r: {"type": "ping", "ref": 12}, "invalid"),
    ("media missing field", lambda s, r: {"type": "media", "audio": True}, "invalid"),
    ("media wrong type", lambda s, r: {"type": "media", "audio": "yes", "video": True}, "invalid"),
    ("media number for bool", lambda s, r: {"type": "media", "audio": 1, "video": 0}, "invalid"),
    (
        "media bad facing",
        lambda s, r: {"type": "media", "audio": True, "video": True, "facing": "left"},
        "invalid",
    ),
    ("signal to a number", lambda s, r: {"type": "signal", "to": 5, "candidate": None}, "invalid"),
    ("signal to a non-uuid", signal_to(lambda s, r: "peer-1", candidate=None), "invalid"),
    ("signal without payload", signal_to(staff_peer), "invalid"),
    (
        "signal with both payloads",
        signal_to(staff_peer, candidate=None, description={"type": "offer", "sdp": ""}),
        "invalid",
    ),
    (
        "sdp too long",
        signal_to(staff_peer, description={"type": "offer", "sdp": "v" * 60_001}),
        "invalid",
    ),
    (
        "bad description type",
        signal_to(staff_peer, description={"type": "hack", "sdp": ""}),
        "invalid",
    ),
    (
        "extra description field",
        signal_to(staff_peer, description={"type": "offer", "sdp": "", "x": 1}),
        "invalid",
    ),
    ("candidate too long", signal_to(staff_peer, candidate={"candidate": "c" * 2_001}), "invalid"),
    (
        "candidate index as string",
        signal_to(staff_peer, candidate={"candidate": "c", "sdpMLineIndex": "0"}),
        "invalid",
    ),
    ("candidate wrong type", signal_to(staff_peer, candidate="candidate:1"), "invalid"),
    (
        "command-result ok as string",
        lambda s, r: {"type": "command-result", "to": s.peer_id, "id": "c", "ok": "false"},
        "invalid",
    ),
    (
        "resident admits",
        lambda s, r: {"type": "admit", "participant": r.participant_id},
        "forbidden",
    ),
    (
        "resident denies",
        lambda s, r: {"type": "deny", "participant": r.participant_id},
        "forbidden",
    ),
    ("resident ends", lambda s, r: {"type": "end"}, "forbidden"),
    (
        "resident commands",
        lambda s, r: {
            "type": "command",
            "to": s.peer_id,
            "id": "c",
            "name": "switch-camera",
            "facing": "user",
        },
        "forbidden",
    ),
    (
        "signal to unknown peer",
        signal_to(lambda s, r: str(uuid.uuid4()), candidate=None),
        "unknown_peer",
    ),
    ("signal to self", signal_to(lambda s, r: r.peer_id, candidate=None), "unknown_peer"),
    (
        "command-result to unknown peer",
        lambda s, r: {"type": "command-result", "to": str(uuid.uuid4()), "id": "c", "ok": True},
        "unknown_peer",
    ),
]


async def test_bad_frames_from_the_resident(call: Call, subtests: pytest.Subtests) -> None:
    """All on one connection, one after the other: none of them may break it."""
    staff, res = call
    for name, frame_for, code in RESIDENT_BAD:
        with subtests.test(name):
            await send_any(res, frame_for(staff, res))

            await res.expect_error(code)
            await res.ping()
            await staff.nothing_more()  # nothing was relayed or broadcast to the other side
            # and the call still works
            await res.send({"type": "signal", "to": staff.peer_id, "candidate": None})
            assert (await staff.expect("signal"))["from"] == res.peer_id


async def test_error_echoes_the_ref(call: Call) -> None:
    _, res = call
    await res.send({"type": "self-destruct", "ref": "frame-7"})
    assert (await res.expect_error("unknown_type"))["ref"] == "frame-7"
    await res.send({"type": "end", "ref": "frame-8"})
    assert (await res.expect_error("forbidden"))["ref"] == "frame-8"
    await res.send({"type": "media", "audio": True, "ref": "frame-9"})
    error = await res.expect_error("invalid")
    assert error["ref"] == "frame-9"
    assert "video" in error["message"]  # the message names the field
    await res.send_text("{broken")
    assert "ref" not in await res.expect_error("bad_json")


async def test_oversize_frame(call: Call, settings: Any) -> None:
    _, res = call
    limit = settings.ROOM_MAX_FRAME_BYTES
    assert limit == 256 * 1024  # a signature (strokes + PNG) must fit in one frame

    def ping_of(size: int) -> str:
        head, tail = '{"type":"ping","pad":"', '"}'
        return head + "x" * (size - len(head) - len(tail)) + tail

    await res.send_text(ping_of(limit + 1))
    await res.expect_error("too_large")
    await res.send_text(ping_of(limit))  # at the limit it is read (and refused for `pad`)
    await res.expect_error("invalid")
    euros = '{"type":"ping","pad":"' + "€" * (limit // 3) + '"}'  # 3 bytes a character
    assert len(euros) < limit < len(euros.encode())  # the limit is in bytes
    await res.send_text(euros)
    await res.expect_error("too_large")
    await res.send_text(
        json.dumps(
            {
                "type": "signal",
                "to": res.peer_id,
                "description": {"type": "offer", "sdp": "v" * 70_000},
            }
        )
    )
    await res.expect_error("invalid")  # under the frame limit, over the SDP limit
    await res.ping()


# Sent by the caseworker -------------------------------------------------------------------


async def test_staff_admitting_someone_of_another_visit(
    call: Call,
    room: RoomFactory,
    process: Process,
    caseworker: User,
) -> None:
    staff, _ = call

    @database_sync_to_async
    def waiting_in_another_visit() -> tuple[Visit, Participant]:
        other, _ = factories.make_visit(process=process, caseworker=caseworker)
        stranger = factories.resident_of(other)
        services.consent_record(participant=stranger, accepted=True, language="nl")
        return other, stranger

    other, stranger = await waiting_in_another_visit()
    waiting = room(other.id, await database_sync_to_async(factories.participant_session)(stranger))
    assert (await waiting.join())["state"] == "waiting"

    for frame_type in ("admit", "deny"):
        await staff.send({"type": frame_type, "participant": str(stranger.id)})
        await staff.expect_error("unknown_participant")
    await staff.send({"type": "admit", "participant": str(uuid.uuid4())})
    await staff.expect_error("unknown_participant")

    await staff.ping()
    await waiting.ping()
    assert waiting.received == [waiting.welcome, {"type": "pong"}]
    assert (await database_sync_to_async(Participant.objects.get)(pk=stranger.pk)).state == (
        ParticipantState.WAITING
    )


async def test_staff_admitting_or_denying_someone_not_waiting(call: Call) -> None:
    staff, res = call
    for frame_type in ("admit", "deny"):
        await staff.send({"type": frame_type, "participant": res.participant_id})
        await staff.expect_error("not_waiting")
    await staff.ping()
    await res.ping()
    assert "denied" not in [f["type"] for f in res.received]


async def test_signal_to_a_peer_of_another_visit(
    call: Call,
    room: RoomFactory,
    process: Process,
    caseworker: User,
) -> None:
    staff, res = call
    other, _ = await database_sync_to_async(factories.make_visit)(
        process=process, caseworker=caseworker
    )
    other_staff = room(other.id, await database_sync_to_async(factories.staff_session)(caseworker))
    await other_staff.join()

    await res.send(
        {
            "type": "signal",
            "to": other_staff.peer_id,
            "description": {"type": "offer", "sdp": "v=0"},
        }
    )
    await res.expect_error("unknown_peer")
    await staff.send(
        {
            "type": "command",
            "to": other_staff.peer_id,
            "id": "c",
            "name": "switch-camera",
            "facing": "environment",
        }
    )
    await staff.expect_error("unknown_peer")

    await other_staff.nothing_more()
    assert {f["type"] for f in other_staff.received} <= {"welcome", "presence", "lobby", "pong"}
    await res.ping()


async def test_staff_bad_command(call: Call) -> None:
    staff, res = call
    await staff.send(
        {"type": "command", "to": res.peer_id, "id": "c", "name": "reboot", "facing": "user"}
    )
    await staff.expect_error("invalid")
    await staff.send(
        {
            "type": "command",
            "to": res.peer_id,
            "id": "i" * 65,
            "name": "switch-camera",
            "facing": "user",
        }
    )
    await staff.expect_error("invalid")
    await staff.send(
        {
            "type": "command",
            "to": str(uuid.uuid4()),
            "id": "c",
            "name": "switch-camera",
            "facing": "user",
        }
    )
    await staff.expect_error("unknown_peer")
    await staff.ping()
    await res.nothing_more()
    assert "command" not in [f["type"] for f in res.received]


# Sent by someone in the waiting room ----------------------------------------------------------


WAITING_FORBIDDEN: list[tuple[str, FrameFor]] = [
    ("signal", signal_to(staff_peer, candidate=None)),
    ("media", lambda s, w: {"type": "media", "audio": False, "video": False}),
    (
        "command-result",
        lambda s, w: {"type": "command-result", "to": s.peer_id, "id": "c", "ok": True},
    ),
    ("ice-refresh", lambda s, w: {"type": "ice-refresh"}),
    ("admit", lambda s, w: {"type": "admit", "participant": w.participant_id}),
    ("end", lambda s, w: {"type": "end"}),
]


async def test_waiting_participant_may_not_take_part(
    room: RoomFactory,
    visit: Visit,
    staff_key: str,
    resident_key: str,
    resident: Participant,
    subtests: pytest.Subtests,
) -> None:
    staff = room(visit.id, staff_key)
    await staff.join()
    waiting = room(visit.id, resident_key)
    assert (await waiting.join())["state"] == "waiting"

    for name, frame_for in WAITING_FORBIDDEN:
        with subtests.test(name):
            await waiting.send(frame_for(staff, waiting))
            await waiting.expect_error("forbidden")
            await waiting.ping()

    await staff.nothing_more()
    assert {f["type"] for f in staff.received} <= {"welcome", "presence", "lobby", "pong"}
    assert (
        await database_sync_to_async(lambda: Participant.objects.get(pk=resident.pk).state)()
        == ParticipantState.WAITING
    )


async def test_waiting_participant_may_leave(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff = room(visit.id, staff_key)
    await staff.join()
    waiting = room(visit.id, resident_key)
    await waiting.join()
    await staff.expect_lobby([str(resident.id)])

    await waiting.send({"type": "leave"})

    await waiting.expect_closed(1000)
    await staff.expect_lobby([])


# Flooding -----------------------------------------------------------------------------------


async def test_flood_is_rate_limited(
    room: RoomFactory,
    visit: Visit,
    staff_key: str,
    resident_key: str,
    resident: Participant,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    """More frames than the burst allowance, faster than the rate: the surplus is refused with
    `rate_limited`, and once the bucket has refilled the connection works again. The rate
    limiter's clock stands still, so the speed of the machine does not matter."""
    clock = FakeClock()
    monkeypatch.setattr(ratelimit, "time", clock)  # before connecting: buckets start full
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)

    burst = settings.ROOM_RATE_BURST
    assert burst == 200
    for _ in range(burst):
        await res.send({"type": "self-destruct"})
    for _ in range(5):
        await res.send({"type": "ping"})
    codes = [(await res.expect("error"))["code"] for _ in range(burst + 5)]
    assert codes == ["unknown_type"] * burst + ["rate_limited"] * 5

    clock.advance(1.0)  # a second's worth of frames
    await res.ping()
    await res.send({"type": "signal", "to": staff.peer_id, "candidate": None})
    assert (await staff.expect("signal"))["from"] == res.peer_id
    await staff.ping()  # the flood did not touch the other side's allowance
