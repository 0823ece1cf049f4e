"""The audit trail is append-only."""

from __future__ import annotations

import pytest

from videocontact.privacy.models import AppendOnlyError, AuditEvent
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_audit_events_cannot_be_saved_twice(visit: Visit) -> None:
    event = AuditEvent.objects.filter(visit_id=visit.id).first()
    assert event is not None
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action != "tampered"


def test_audit_events_cannot_be_deleted(visit: Visit) -> None:
    event = AuditEvent.objects.filter(visit_id=visit.id).first()
    assert event is not None
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_new_audit_event_can_be_saved_once(visit: Visit) -> None:
    event = AuditEvent(action="test.done", object_type="visits.visit", object_id=str(visit.pk))
    event.save()
    assert event.pk is not None
    with pytest.raises(AppendOnlyError):
        event.save()
