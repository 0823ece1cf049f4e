from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from videocontact.accounts.models import Membership, Organisation, User
from videocontact.demo.data import DEMO_PASSWORD, USERS, ensure_demo
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_ensure_demo_is_idempotent() -> None:
    first = ensure_demo()
    second = ensure_demo()
    assert first.organisation == second.organisation
    assert Organisation.objects.count() == 1
    assert User.objects.count() == len(USERS)
    assert Membership.objects.count() == len(USERS) * 3
    assert set(second.processes) == {"bijstand-aanvraag", "heronderzoek", "adresonderzoek"}
    assert second.users["medewerker"].check_password(DEMO_PASSWORD)
    assert second.users["beheerder"].is_staff and not second.users["beheerder"].is_superuser
    assert not second.users["medewerker"].is_staff


def test_demo_command_prints_a_working_resident_link() -> None:
    out = StringIO()
    call_command("demo", base_url="https://example.test", stdout=out)
    text = out.getvalue()
    visit = Visit.objects.get()
    assert f"https://example.test/staff/visits/{visit.id}/call" in text
    match = re.search(r"https://example\.test(/j/[A-Za-z0-9_-]+)", text)
    assert match
    assert Client().get(match.group(1))["Location"] == f"/v/{visit.id}/"
