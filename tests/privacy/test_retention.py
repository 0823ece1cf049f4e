"""The retention clock: started once, purge date from the process, audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from videocontact.privacy.models import AuditEvent, RetentionClock
from videocontact.privacy.selectors import retention_clock_for
from videocontact.privacy.services import retention_start

pytestmark = pytest.mark.django_db


def test_clock_uses_the_process_retention_and_is_audited(visit: Any) -> None:
    started = timezone.now()
    clock = retention_start(visit=visit, started_at=started, reason="exported")
    assert clock.purge_after == started + timedelta(days=visit.process.retention_days)
    assert retention_clock_for(visit.id) == clock
    event = AuditEvent.objects.get(action="retention.started")
    assert event.visit_id == visit.id and event.data["retention_days"] == 90


def test_clock_starts_once(visit: Any) -> None:
    first = retention_start(visit=visit, started_at=timezone.now(), reason="report_ready")
    again = retention_start(
        visit=visit, started_at=timezone.now() + timedelta(days=5), reason="exported"
    )
    assert again.pk == first.pk and again.purge_after == first.purge_after
    assert RetentionClock.objects.count() == 1
    assert AuditEvent.objects.filter(action="retention.started").count() == 1
