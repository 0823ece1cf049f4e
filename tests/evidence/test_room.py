"""Room frames for photos (docs/protocol.md): photo-take, camera-caps, torch/zoom commands and
their results, and the gallery frames staff receive after commit. Bad frames get an error frame
and the socket stays open."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async

from tests.evidence.test_hygiene import jpeg
from tests.rooms.conftest import Call
from videocontact.accounts.models import Process
from videocontact.evidence import services
from videocontact.evidence.errors import EvidenceError
from videocontact.evidence.models import Photo, PhotoRequest
from videocontact.visits.models import Participant, Visit

pytestmark = pytest.mark.django_db(transaction=True)


async def test_photo_take_relays_a_command_to_the_resident(call: Call, visit: Visit) -> None:
    staff, res = call
    await staff.send({"type": "photo-take", "participant": res.participant_id})
    requested = await staff.expect("photo-requested")
    command = await res.expect("command")
    request = await database_sync_to_async(PhotoRequest.objects.get)()
    assert command == {
        "type": "command",
        "from": staff.peer_id,
        "id": str(request.id),
        "name": "take-photo",
        "request": str(request.id),
    }
    assert requested == {
        "type": "photo-requested",
        "request": str(request.id),
        "participantId": res.participant_id,
        "question": None,
    }

    # The resident's page uploads; the gallery of every staff member gets it after commit.
    resident = await database_sync_to_async(Participant.objects.get)(pk=res.participant_id)
    await database_sync_to_async(services.photo_upload)(
        visit_id=visit.id, participant=resident, request_id=request.id, data=jpeg()
    )
    added = await staff.expect("photo-added")
    photo = await database_sync_to_async(Photo.objects.get)()
    assert added["photo"]["id"] == str(photo.id)
    assert added["photo"]["sha256"] == photo.sha256
    assert added["photo"]["request"] == str(request.id)
    # ...and reports back through command-result, with a reason when it failed.
    await res.send(
        {"type": "command-result", "to": staff.peer_id, "id": str(request.id), "ok": True}
    )
    assert (await staff.expect("command-result")) == {
        "type": "command-result",
        "id": str(request.id),
        "ok": True,
        "from": res.peer_id,
    }
    await res.nothing_more()


async def test_upload_failure_is_reported_with_a_code(call: Call) -> None:
    staff, res = call
    await res.send(
        {"type": "command-result", "to": staff.peer_id, "id": "r1", "ok": False, "code": "network"}
    )
    result = await staff.expect("command-result")
    assert result["ok"] is False and result["code"] == "network"
    await res.send(
        {"type": "command-result", "to": staff.peer_id, "id": "r1", "ok": False, "code": "<b>"}
    )
    await res.expect_error("invalid")


async def test_resident_may_not_take_photos(call: Call) -> None:
    _, res = call
    await res.send({"type": "photo-take", "participant": res.participant_id})
    await res.expect_error("forbidden")
    assert not await database_sync_to_async(PhotoRequest.objects.exists)()
    await res.nothing_more()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "photo-take"},
        {"type": "photo-take", "participant": "not-a-uuid"},
        {"type": "photo-take", "participant": None},
        {"type": "photo-take", "participant": "00000000-0000-0000-0000-000000000000", "x": 1},
    ],
)
async def test_bad_photo_take(call: Call, frame: dict[str, Any]) -> None:
    staff, _ = call
    await staff.send(frame)
    await staff.expect_error("invalid")
    await staff.nothing_more()


async def test_photo_take_of_the_caseworker_or_a_stranger(call: Call) -> None:
    staff, _ = call
    await staff.send({"type": "photo-take", "participant": staff.participant_id})
    await staff.expect_error("not_resident")
    await staff.send({"type": "photo-take", "participant": "00000000-0000-0000-0000-000000000000"})
    await staff.expect_error("not_resident")
    await staff.nothing_more()


async def test_photo_take_when_the_process_allows_no_photos(call: Call, process: Process) -> None:
    staff, res = call
    await database_sync_to_async(Process.objects.filter(pk=process.pk).update)(stores_photos=False)
    await staff.send({"type": "photo-take", "participant": res.participant_id, "ref": "t1"})
    error = await staff.expect_error("photos_not_allowed")
    assert error["ref"] == "t1"
    assert not await database_sync_to_async(PhotoRequest.objects.exists)()
    await res.nothing_more()


async def test_camera_caps_reach_staff(call: Call) -> None:
    staff, res = call
    await res.send(
        {"type": "camera-caps", "torch": True, "zoom": {"min": 1, "max": 5, "step": 0.1}}
    )
    caps = await staff.expect("camera-caps")
    assert caps == {
        "type": "camera-caps",
        "torch": True,
        "zoom": {"min": 1.0, "max": 5.0, "step": 0.1},
        "participantId": res.participant_id,
        "from": res.peer_id,
    }
    await res.send({"type": "camera-caps", "torch": False})
    assert (await staff.expect("camera-caps"))["zoom"] is None


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "camera-caps"},
        {"type": "camera-caps", "torch": "yes"},
        {"type": "camera-caps", "torch": True, "zoom": {"min": 5, "max": 1}},
        {"type": "camera-caps", "torch": True, "zoom": {"min": 0, "max": 1}},
        {"type": "camera-caps", "torch": True, "zoom": {"min": 1, "max": 2, "x": 1}},
        {"type": "camera-caps", "torch": True, "flash": True},
    ],
)
async def test_bad_camera_caps(call: Call, frame: dict[str, Any]) -> None:
    _, res = call
    await res.send(frame)
    await res.expect_error("invalid")
    await res.nothing_more()


async def test_torch_and_zoom_commands_are_relayed(call: Call) -> None:
    staff, res = call
    await staff.send(
        {"type": "command", "to": res.peer_id, "id": "p1", "name": "torch", "torch": True}
    )
    assert (await res.expect("command")) == {
        "type": "command",
        "id": "p1",
        "name": "torch",
        "torch": True,
        "from": staff.peer_id,
    }
    await staff.send(
        {"type": "command", "to": res.peer_id, "id": "p2", "name": "zoom", "zoom": 2.5}
    )
    assert (await res.expect("command"))["zoom"] == 2.5
    # The rear-camera switch keeps working as before.
    await staff.send(
        {
            "type": "command",
            "to": res.peer_id,
            "id": "c1",
            "name": "switch-camera",
            "facing": "user",
        }
    )
    assert (await res.expect("command"))["facing"] == "user"


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "torch"},
        {"name": "torch", "torch": "on"},
        {"name": "torch", "torch": True, "facing": "user"},
        {"name": "zoom"},
        {"name": "zoom", "zoom": -1},
        {"name": "zoom", "zoom": 1000},
        {"name": "zoom", "zoom": 2, "torch": False},
        {"name": "switch-camera", "facing": "user", "zoom": 2},
        {"name": "take-photo"},  # only the server sends that, with a real request id
    ],
)
async def test_bad_commands(call: Call, fields: dict[str, Any]) -> None:
    staff, res = call
    await staff.send({"type": "command", "to": res.peer_id, "id": "x", **fields})
    await staff.expect_error("invalid")
    await staff.nothing_more()
    await res.nothing_more()


async def test_resident_may_not_send_torch_commands(call: Call) -> None:
    staff, res = call
    await res.send(
        {"type": "command", "to": staff.peer_id, "id": "p1", "name": "torch", "torch": True}
    )
    await res.expect_error("forbidden")


async def test_a_failed_photo_closes_its_request(call: Call, visit: Visit) -> None:
    staff, res = call
    await staff.send({"type": "photo-take", "participant": res.participant_id})
    await staff.expect("photo-requested")
    command = await res.expect("command")
    await res.send(
        {
            "type": "command-result",
            "to": staff.peer_id,
            "id": command["id"],
            "ok": False,
            "code": "no_camera",
        }
    )
    assert (await staff.expect("command-result"))["code"] == "no_camera"
    request = await database_sync_to_async(PhotoRequest.objects.get)()
    assert request.failed_reason == "no_camera"
    # A late upload for it is refused; a new request can be made at once.
    resident = await database_sync_to_async(Participant.objects.get)(pk=res.participant_id)
    with pytest.raises(EvidenceError) as info:
        await database_sync_to_async(services.photo_upload)(
            visit_id=visit.id, participant=resident, request_id=request.id, data=jpeg()
        )
    assert info.value.code == "request_closed"


async def test_staff_cannot_fail_the_residents_request(call: Call) -> None:
    staff, res = call
    await staff.send({"type": "photo-take", "participant": res.participant_id})
    await staff.expect("photo-requested")
    command = await res.expect("command")
    await staff.send(
        {"type": "command-result", "to": res.peer_id, "id": command["id"], "ok": False}
    )
    await res.expect("command-result")
    request = await database_sync_to_async(PhotoRequest.objects.get)()
    assert request.failed_reason == ""


async def test_a_photo_taken_for_a_question_answers_that_question(call: Call, visit: Visit) -> None:
    staff, res = call
    await staff.send({"type": "photo-take", "participant": res.participant_id, "question": "Bad!"})
    assert (await staff.expect("error"))["code"] == "invalid"
    await staff.send(
        {"type": "photo-take", "participant": res.participant_id, "question": "foto_trap"}
    )
    requested = await staff.expect("photo-requested")
    assert requested["question"] == "foto_trap"
    await res.expect("command")
    resident = await database_sync_to_async(Participant.objects.get)(pk=res.participant_id)
    upload = await database_sync_to_async(services.photo_upload)(
        visit_id=visit.id, participant=resident, request_id=requested["request"], data=jpeg()
    )
    assert upload.photo.question_id == "foto_trap"
    added = await staff.expect("photo-added")
    assert added["photo"]["question"] == "foto_trap"
