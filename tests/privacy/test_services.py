from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from videocontact.accounts.models import User
from videocontact.privacy.audit import audit
from videocontact.privacy.models import AuditEvent
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_audit_records_who_did_what(visit: Visit, caseworker: User) -> None:
    event = audit(
        action="test.viewed", obj=visit, actor_user=caseworker, visit_id=visit.id, extra="value"
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.action == "test.viewed"
    assert (event.object_type, event.object_id) == ("visits.visit", str(visit.pk))
    assert event.actor_user == caseworker
    assert event.actor_participant_id is None
    assert event.visit_id == visit.id
    assert event.data == {"extra": "value"}
    assert event.at is not None


def test_audit_with_anonymous_or_participant_actor(visit: Visit) -> None:
    participant_id = uuid.uuid4()
    event = audit(
        action="test.anon",
        obj=visit,
        actor_user=AnonymousUser(),
        actor_participant_id=participant_id,
    )
    assert event.actor_user is None
    assert event.actor_participant_id == participant_id
    assert event.visit_id is None
