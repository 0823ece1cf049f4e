"""A forwarded link (found when pen-tested): with the SMS step off, a second browser with the
resident's link took over the call at once. Now the link belongs to the first browser; another
waits as a "new device" and the caseworker lets it in (replacing the old one) or refuses it."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from tests import factories
from tests.rooms.conftest import RoomFactory, enter_call
from tests.ws import RoomClient
from videocontact.privacy.models import AuditEvent
from videocontact.rooms.models import RoomConnection
from videocontact.rooms.payloads import presence_frame
from videocontact.visits.models import Participant, ParticipantState, Visit

pytestmark = pytest.mark.django_db(transaction=True)


async def forwarded(room: RoomFactory, visit: Visit, resident: Participant) -> RoomClient:
    """Another browser, which opened the resident's link (a session of its own)."""
    other_key = await database_sync_to_async(factories.participant_session)(resident)
    other = room(visit.id, other_key)
    welcome = await other.join()
    assert welcome["state"] == "waiting" and welcome["newDevice"] is True
    return other


@database_sync_to_async
def audited(action: str) -> bool:
    return AuditEvent.objects.filter(action=action).exists()


async def test_a_second_browser_waits_as_a_new_device_and_takes_over_nothing(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)

    other = await forwarded(room, visit, resident)

    lobby = await staff.expect("lobby", lambda f: bool(f["waiting"]))
    assert lobby["waiting"] == [
        {
            "participantId": str(resident.id),
            "role": "resident",
            "name": resident.display_name,
            "since": lobby["waiting"][0]["since"],
            "newDevice": True,
        }
    ]
    await res.ping()  # the resident is still in the call, not replaced
    await other.ping()
    await other.send({"type": "signal", "to": staff.peer_id, "candidate": None})
    await other.expect_error("forbidden")  # waiting: no signalling
    await staff.nothing_more()
    presence = await database_sync_to_async(presence_frame)(visit.id)
    assert {p["peerId"] for p in presence["peers"]} == {staff.peer_id, res.peer_id}
    assert await audited("participant.new_device")


async def test_letting_the_new_device_in_replaces_the_old_one(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    other = await forwarded(room, visit, resident)

    await staff.send({"type": "admit", "participant": str(resident.id)})

    await res.expect("replaced")
    await res.expect_closed(4409)
    await other.expect("admitted")
    await other.expect_presence(staff, other)
    await other.ping()
    connection = await database_sync_to_async(RoomConnection.objects.get)(participant=resident)
    assert str(connection.peer_id) == other.peer_id and not connection.new_device
    assert await audited("participant.device_admitted")


async def test_refusing_the_new_device_keeps_the_resident_in(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    other = await forwarded(room, visit, resident)

    await staff.send({"type": "deny", "participant": str(resident.id)})

    await other.expect("denied")
    await other.expect_closed(4403)
    await res.ping()
    await staff.expect_lobby([])
    fresh = await database_sync_to_async(Participant.objects.get)(pk=resident.pk)
    assert fresh.state == ParticipantState.ADMITTED
    assert await audited("participant.device_denied")


async def test_the_same_browser_reconnecting_still_replaces_its_old_socket(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> None:
    _staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    again = room(visit.id, resident_key)
    welcome = await again.join()
    assert welcome["state"] == "admitted" and "newDevice" not in welcome
    await res.expect("replaced")


def test_the_first_browser_past_the_link_owns_it(visit: Visit, token: str) -> None:
    first, second = Client(), Client()
    first.get(f"/j/{token}", follow=True)
    resident = factories.resident_of(visit)
    assert resident.device_hash
    second.get(f"/j/{token}", follow=True)
    resident.refresh_from_db()
    bound = resident.device_hash
    first.get(f"/v/{visit.id}/")
    resident.refresh_from_db()
    assert resident.device_hash == bound
