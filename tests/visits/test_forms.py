from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests import factories
from videocontact.accounts.models import Process
from videocontact.portal.forms import VisitCreateForm

pytestmark = pytest.mark.django_db


def form(process: Process, **data: str) -> VisitCreateForm:
    payload = {
        "process": str(process.pk),
        "resident_name": "Amina Haddad",
        "resident_language": "nl",
        "when": "now",
        **data,
    }
    return VisitCreateForm(payload, processes=Process.objects.filter(pk=process.pk))


def local(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_now_ignores_a_date(process: Process) -> None:
    f = form(process, scheduled_at=local(timezone.now() + timedelta(days=1)))
    assert f.is_valid(), f.errors
    assert f.cleaned_data["scheduled_at"] is None


def test_planned_needs_a_date_in_the_future(process: Process) -> None:
    assert "scheduled_at" in form(process, when="planned").errors
    assert (
        "scheduled_at"
        in form(
            process, when="planned", scheduled_at=local(timezone.now() - timedelta(hours=1))
        ).errors
    )
    f = form(process, when="planned", scheduled_at=local(timezone.now() + timedelta(days=1)))
    assert f.is_valid(), f.errors
    assert f.cleaned_data["scheduled_at"] > timezone.now()


def test_only_offered_processes_are_accepted(process: Process) -> None:
    foreign = factories.make_process()
    f = VisitCreateForm(
        {
            "process": str(foreign.pk),
            "resident_name": "X",
            "resident_language": "nl",
            "when": "now",
        },
        processes=Process.objects.filter(pk=process.pk),
    )
    assert "process" in f.errors


def test_unknown_language_is_refused(process: Process) -> None:
    assert "resident_language" in form(process, resident_language="xx").errors
