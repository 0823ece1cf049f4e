"""Guests in the live room: each joins with their own session, waits, is admitted, and shows up
with their role in everyone's presence; a removed guest is taken out of the call at once."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests import factories
from tests.rooms.conftest import RoomFactory, enter_call, room  # noqa: F401 (fixture)
from videocontact.accounts.models import User
from videocontact.visits import services
from videocontact.visits.models import Participant, ParticipantState, Visit

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def consented_guest(
    visit: Visit, caseworker: User, role: str, name: str
) -> tuple[Participant, str]:
    guest, _ = services.guest_add(visit=visit, by_user=caseworker, role=role, display_name=name)
    services.consent_record(participant=guest, accepted=True, language="nl")
    return guest, factories.participant_session(guest)


@database_sync_to_async
def resident_session(visit: Visit) -> tuple[Participant, str]:
    resident = visit.participants.get(role="resident")
    services.consent_record(participant=resident, accepted=True, language="nl")
    return resident, factories.participant_session(resident)


async def test_interpreter_and_resident_see_each_others_role(
    room: RoomFactory,  # noqa: F811
    visit: Visit,
    caseworker: User,
) -> None:
    staff_key = await database_sync_to_async(factories.staff_session)(caseworker)
    resident, resident_key = await resident_session(visit)
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    guest, guest_key = await consented_guest(visit, caseworker, "interpreter", "Ahmed Karimi")

    tolk = room(visit.id, guest_key)
    welcome = await tolk.join()
    assert welcome["state"] == "waiting" and welcome["self"]["role"] == "interpreter"
    lobby = await staff.expect_lobby([str(guest.id)])
    assert lobby["waiting"][0]["role"] == "interpreter"
    await staff.send({"type": "admit", "participant": str(guest.id)})
    await tolk.expect("admitted")

    for client in (staff, res, tolk):
        presence = await client.expect_presence(staff, res, tolk)
        roles = {peer["peerId"]: peer["role"] for peer in presence["peers"]}
        assert roles == {
            staff.peer_id: "caseworker",
            res.peer_id: "resident",
            tolk.peer_id: "interpreter",
        }


async def test_removed_guest_leaves_the_call(
    room: RoomFactory,  # noqa: F811
    visit: Visit,
    caseworker: User,
) -> None:
    staff_key = await database_sync_to_async(factories.staff_session)(caseworker)
    staff = room(visit.id, staff_key)
    await staff.join()
    guest, guest_key = await consented_guest(visit, caseworker, "family", "Olena")
    family = room(visit.id, guest_key)
    await family.join()
    await staff.expect_lobby([str(guest.id)])
    await staff.send({"type": "admit", "participant": str(guest.id)})
    await family.expect("admitted")
    await family.expect_presence(staff, family)

    await database_sync_to_async(services.guest_remove)(participant=guest, by_user=caseworker)

    ended = await family.expect("ended")
    assert ended["reason"] == "removed"
    await family.expect_closed(4410)
    await staff.expect_presence(staff)
    assert (await database_sync_to_async(Participant.objects.get)(pk=guest.pk)).state == (
        ParticipantState.LEFT
    )
    # Coming back with the same browser session is refused.
    again = room(visit.id, guest_key)
    assert await again.connect()
    await again.expect_error("forbidden")
    await again.expect_closed(4403)


async def test_a_fifth_person_is_not_admitted(
    room: RoomFactory,  # noqa: F811
    visit: Visit,
    caseworker: User,
) -> None:
    """Five may be invited (the caseworker is warned); the call still holds four."""
    staff_key = await database_sync_to_async(factories.staff_session)(caseworker)
    resident, resident_key = await resident_session(visit)
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)
    admitted = [staff, res]
    for name in ("Tolk", "Zus"):
        guest, key = await consented_guest(visit, caseworker, "family", name)
        client = room(visit.id, key)
        await client.join()
        await staff.expect_lobby([str(guest.id)])
        await staff.send({"type": "admit", "participant": str(guest.id)})
        await client.expect("admitted")
        admitted.append(client)
        await staff.expect_presence(*admitted)
    fifth, key = await consented_guest(visit, caseworker, "interpreter", "Vijfde")
    waiting = room(visit.id, key)
    await waiting.join()
    await staff.expect_lobby([str(fifth.id)])
    await staff.send({"type": "admit", "participant": str(fifth.id), "ref": "five"})
    error = await staff.expect_error("room_full")
    assert error["ref"] == "five"
    assert (await database_sync_to_async(Participant.objects.get)(pk=fifth.pk)).state == (
        ParticipantState.WAITING
    )
