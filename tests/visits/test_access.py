"""The resident access gate: one ordered check that every resident view, the room, the photo
upload and the report copy ask."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests import factories
from videocontact.notifications.models import MessagingSettings
from videocontact.notifications.selectors import CODE_SESSION_KEY
from videocontact.visits.access import Stage, resident_access
from videocontact.visits.models import Participant, ParticipantState, Visit
from videocontact.visits.selectors import SESSION_KEY


def session_for(participant: Participant, *, code: bool = False) -> dict[str, Any]:
    session: dict[str, Any] = {SESSION_KEY: {str(participant.visit_id): str(participant.id)}}
    if code:
        session[CODE_SESSION_KEY] = {str(participant.visit_id): str(participant.id)}
    return session


@pytest.fixture
def resident(visit: Visit) -> Participant:
    return factories.resident_of(visit)


def consent(participant: Participant) -> None:
    Participant.objects.filter(pk=participant.pk).update(state=ParticipantState.CONSENTED)


def test_no_link_in_this_browser(visit: Visit) -> None:
    access = resident_access({}, visit.id)
    assert access.participant is None and access.problem == "session"


def test_a_link_of_another_visit_opens_nothing(
    visit: Visit, resident: Participant, process: Any, caseworker: Any
) -> None:
    other, _ = factories.make_visit(process=process, caseworker=caseworker)
    assert resident_access(session_for(resident), other.id).problem == "session"


def test_consent_is_asked_before_the_call(resident: Participant) -> None:
    session = session_for(resident)
    assert resident_access(session, resident.visit_id).problem == "consent"
    assert resident_access(session, resident.visit_id, stage=Stage.VERIFIED).allowed
    consent(resident)
    assert resident_access(session, resident.visit_id).allowed


def test_ended_visit_only_where_the_caller_allows_it(resident: Participant) -> None:
    consent(resident)
    Visit.objects.filter(pk=resident.visit_id).update(status="ended", ended_at=timezone.now())
    assert resident_access(session_for(resident), resident.visit_id).problem == "ended"
    assert resident_access(session_for(resident), resident.visit_id, allow_ended=True).allowed


def test_removed_participant(resident: Participant) -> None:
    consent(resident)
    Participant.objects.filter(pk=resident.pk).update(removed_at=timezone.now())
    access = resident_access(session_for(resident), resident.visit_id, allow_ended=True)
    assert access.problem == "removed"


def test_sms_code_step_registered_by_notifications(resident: Participant) -> None:
    """notifications registers the code step; it comes before consent, and the code page itself
    (Stage.BOUND) is reachable without it."""
    MessagingSettings.objects.create(process=resident.visit.process, require_sms_code=True)
    consent(resident)
    assert resident_access(session_for(resident), resident.visit_id).problem == "code"
    assert resident_access(session_for(resident), resident.visit_id, stage=Stage.BOUND).allowed
    assert resident_access(session_for(resident, code=True), resident.visit_id).allowed
