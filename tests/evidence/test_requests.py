"""photo_request_create: who may be asked, what the process allows, and the limits."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from videocontact.accounts.models import Process, User
from videocontact.evidence import services
from videocontact.evidence.errors import EvidenceError
from videocontact.evidence.models import PhotoRequest
from videocontact.privacy.models import AuditEvent
from videocontact.rooms.models import RoomConnection
from videocontact.visits.models import Participant, ParticipantRole, ParticipantState, Visit

pytestmark = pytest.mark.django_db


def ask(visit: Visit, user: User, target: Participant) -> PhotoRequest:
    return services.photo_request_create(
        visit_id=visit.id, by_user=user, target_id=target.id, from_peer="peer-1"
    )


def refused_with(code: str, visit: Visit, user: User, target: Participant) -> None:
    with pytest.raises(EvidenceError) as info:
        ask(visit, user, target)
    assert info.value.code == code


def test_request_is_recorded_and_audited(
    visit: Visit, caseworker: User, resident_in_call: Participant
) -> None:
    request = ask(visit, caseworker, resident_in_call)
    assert request.requested_by == caseworker and request.target == resident_in_call
    event = AuditEvent.objects.get(action="photo.requested")
    assert event.object_id == str(request.id)
    assert event.data == {"target_participant": str(resident_in_call.id)}


def test_process_without_photos(
    visit: Visit, caseworker: User, resident_in_call: Participant, process: Process
) -> None:
    Process.objects.filter(pk=process.pk).update(stores_photos=False)
    refused_with("photos_not_allowed", visit, caseworker, resident_in_call)
    assert not PhotoRequest.objects.exists()


@pytest.mark.parametrize("role", [ParticipantRole.INTERPRETER, ParticipantRole.FAMILY])
def test_only_the_resident(visit: Visit, caseworker: User, role: str) -> None:
    other = factories.make_participant(visit=visit, role=role, state=ParticipantState.ADMITTED)
    RoomConnection.objects.create(participant=other, channel_name="x")
    refused_with("not_resident", visit, caseworker, other)


def test_not_the_caseworker(visit: Visit, caseworker: User) -> None:
    staff = Participant.objects.get(visit=visit, user=caseworker)
    refused_with("not_resident", visit, caseworker, staff)


@pytest.mark.parametrize("state", [ParticipantState.WAITING, ParticipantState.LEFT])
def test_resident_must_be_admitted(
    visit: Visit, caseworker: User, resident_in_call: Participant, state: str
) -> None:
    Participant.objects.filter(pk=resident_in_call.pk).update(state=state)
    refused_with("not_in_call", visit, caseworker, resident_in_call)


def test_resident_must_be_connected(
    visit: Visit, caseworker: User, resident_in_call: Participant
) -> None:
    RoomConnection.objects.filter(participant=resident_in_call).delete()
    refused_with("not_in_call", visit, caseworker, resident_in_call)


def test_resident_of_another_visit(
    visit: Visit, caseworker: User, process: Process, resident_in_call: Participant
) -> None:
    other, _ = factories.make_visit(process=process, caseworker=caseworker)
    refused_with("not_resident", other, caseworker, resident_in_call)


def test_open_requests_are_limited(
    visit: Visit, caseworker: User, resident_in_call: Participant, settings: Any
) -> None:
    settings.PHOTO_MAX_OPEN_REQUESTS = 2
    ask(visit, caseworker, resident_in_call)
    ask(visit, caseworker, resident_in_call)
    refused_with("too_many_requests", visit, caseworker, resident_in_call)
    assert PhotoRequest.objects.count() == 2


def test_closed_visit(visit: Visit, caseworker: User, resident_in_call: Participant) -> None:
    Visit.objects.filter(pk=visit.pk).update(status="ended")
    refused_with("visit_closed", visit, caseworker, resident_in_call)
