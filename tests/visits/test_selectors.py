"""Who may join a room (`can_join`), and how residents are found from the browser session."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore

from tests import factories
from videocontact.accounts.models import Process, Role, Unit, User
from videocontact.rooms.access import can_join
from videocontact.visits.models import Participant, ParticipantRole, Visit
from videocontact.visits.selectors import (
    SESSION_KEY,
    participant_from_session,
    session_participant_id,
    visit_for_staff,
    visits_for_staff,
)
from videocontact.visits.session import bind_participant

pytestmark = pytest.mark.django_db


def test_bind_participant_maps_visit_to_participant_and_cycles_the_session_key(
    visit: Visit, resident: Participant, process: Process, caseworker: User
) -> None:
    session = SessionStore()
    session["something"] = "kept"
    session.save()
    old_key = session.session_key
    other_visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    other_resident = factories.resident_of(other_visit)

    bind_participant(session, resident)
    bind_participant(session, other_resident)
    session.save()

    assert old_key is not None and session.session_key != old_key
    assert not SessionStore().exists(old_key)
    assert session["something"] == "kept"
    assert session[SESSION_KEY] == {
        str(visit.id): str(resident.id),
        str(other_visit.id): str(other_resident.id),
    }
    assert participant_from_session(session, visit.id) == resident
    assert participant_from_session(session, other_visit.id) == other_resident


def test_session_lookup_ignores_junk(visit: Visit, resident: Participant) -> None:
    assert session_participant_id({}, visit.id) is None
    assert session_participant_id({SESSION_KEY: {str(visit.id): 42}}, visit.id) is None
    assert (
        participant_from_session({SESSION_KEY: {str(visit.id): str(uuid.uuid4())}}, visit.id)
        is None
    )


def test_a_session_for_one_visit_does_not_open_another(
    visit: Visit, resident: Participant, process: Process, caseworker: User
) -> None:
    other_visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    # a tampered mapping: this visit's participant claimed for the other visit
    session = {SESSION_KEY: {str(other_visit.id): str(resident.id)}}
    assert participant_from_session(session, other_visit.id) is None


def test_a_session_cannot_claim_a_staff_participant(visit: Visit) -> None:
    staff = visit.participants.get(role=ParticipantRole.CASEWORKER)
    assert participant_from_session({SESSION_KEY: {str(visit.id): str(staff.id)}}, visit.id) is None


def test_can_join_as_staff_of_the_unit(visit: Visit, caseworker: User) -> None:
    identity = can_join(visit_id=visit.id, user=caseworker, session={})
    assert identity is not None
    assert identity.is_staff
    assert identity.user == caseworker
    assert identity.participant.role == ParticipantRole.CASEWORKER


def test_can_join_as_colleague_creates_the_participant(visit: Visit, colleague: User) -> None:
    identity = can_join(visit_id=visit.id, user=colleague, session={})
    assert identity is not None
    assert identity.participant.role == ParticipantRole.COLLEAGUE
    assert identity.participant.user == colleague


def test_can_join_as_resident(visit: Visit, resident: Participant) -> None:
    session = {SESSION_KEY: {str(visit.id): str(resident.id)}}
    identity = can_join(visit_id=visit.id, user=AnonymousUser(), session=session)
    assert identity is not None
    assert (identity.participant, identity.is_staff, identity.user) == (resident, False, None)


def test_can_join_refuses_strangers(visit: Visit, outsider: User, unit: Unit) -> None:
    privacy_officer = factories.make_user(unit=unit, role=Role.PRIVACY_OFFICER)
    inactive = factories.make_user(unit=unit, is_active=False)
    for user in (AnonymousUser(), outsider, privacy_officer, inactive):
        assert can_join(visit_id=visit.id, user=user, session={}) is None
    assert can_join(visit_id=uuid.uuid4(), user=AnonymousUser(), session={}) is None
    assert not Participant.objects.filter(user__in=[outsider, privacy_officer]).exists()


def test_staff_see_only_their_units_visits(
    visit: Visit, caseworker: User, outsider: User, unit: Unit
) -> None:
    assert list(visits_for_staff(caseworker)) == [visit]
    assert list(visits_for_staff(outsider)) == []
    lead = factories.make_user(unit=unit, role=Role.TEAM_LEAD)
    assert visit_for_staff(lead, visit.id) == visit
    assert visit_for_staff(outsider, visit.id) is None
    assert visit_for_staff(caseworker, uuid.uuid4()) is None
