"""The caseworker's day: own visits of today first, then the unit's; search by resident name and
case number; link state per visit; "New visit" only for caseworkers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from videocontact.accounts.models import Process, Role, Unit, User
from videocontact.visits import services
from videocontact.visits.models import ParticipantState
from videocontact.visits.selectors import (
    my_visits_today,
    unit_visits_recent,
    unit_visits_upcoming,
    visits_search,
)

pytestmark = pytest.mark.django_db


def today_at(hour: int) -> timezone.datetime:
    now = timezone.localtime()
    return now.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_my_visits_today_then_the_units(
    process: Process, caseworker: User, colleague: User
) -> None:
    factories.make_visit(
        process=process, caseworker=caseworker, resident_name="Late", scheduled_at=today_at(16)
    )
    factories.make_visit(
        process=process, caseworker=caseworker, resident_name="Early", scheduled_at=today_at(9)
    )
    mine_now, _ = factories.make_visit(process=process, caseworker=caseworker, resident_name="Now")
    factories.make_visit(
        process=process,
        caseworker=caseworker,
        resident_name="Tomorrow",
        scheduled_at=today_at(10) + timedelta(days=1),
    )
    factories.make_visit(
        process=process, caseworker=colleague, resident_name="Theirs", scheduled_at=today_at(11)
    )
    joined, _ = factories.make_visit(
        process=process, caseworker=colleague, resident_name="Joined", scheduled_at=today_at(12)
    )
    services.colleague_add(visit=joined, by_user=colleague, colleague=caseworker)

    mine = my_visits_today(caseworker)
    assert [v.resident_name for v in mine] == ["Now", "Early", "Joined", "Late"]
    upcoming = [v.resident_name for v in unit_visits_upcoming(caseworker, exclude=mine)]
    assert upcoming == ["Theirs", "Tomorrow"]
    services.visit_end(visit=mine_now, by_user=caseworker)
    assert [v.resident_name for v in unit_visits_recent(caseworker)] == ["Now"]


def test_link_state_and_waiting_are_known_per_row(process: Process, caseworker: User) -> None:
    visit, issued = factories.make_visit(process=process, caseworker=caseworker)
    row = my_visits_today(caseworker).get()
    assert row.link_active and not row.link_opened and not row.someone_waiting
    services.invitation_redeem(token=issued.token)
    resident = factories.resident_of(visit)
    resident.state = ParticipantState.WAITING
    resident.save()
    row = my_visits_today(caseworker).get()
    assert row.link_opened and row.someone_waiting and not row.someone_in_call


def test_search_by_name_and_case_number_only_in_own_units(
    process: Process, caseworker: User
) -> None:
    factories.make_visit(process=process, caseworker=caseworker, resident_name="Amina Haddad")
    factories.make_visit(
        process=process, caseworker=caseworker, resident_name="Jan", case_reference="Z-2026-77"
    )
    other_unit = factories.make_unit()
    outsider = factories.make_user(unit=other_unit)
    factories.make_visit(
        process=factories.make_process(unit=other_unit),
        caseworker=outsider,
        resident_name="Amina Elders",
    )
    assert [v.resident_name for v in visits_search(caseworker, "amina")] == ["Amina Haddad"]
    assert [v.resident_name for v in visits_search(caseworker, "2026-77")] == ["Jan"]


def test_dashboard_page_sections_and_search(
    client: Client, process: Process, caseworker: User
) -> None:
    factories.make_visit(
        process=process, caseworker=caseworker, resident_name="Amina", case_reference="Z-1"
    )
    client.force_login(caseworker)
    html = client.get("/staff/").content.decode()
    assert "Mijn afspraken vandaag" in html and "Amina" in html
    assert "Nog niet geopend" in html
    assert 'href="/staff/visits/new"' in html
    html = client.get("/staff/", {"q": "Z-1"}).content.decode()
    assert "Afspraken met “Z-1”" in html and "Amina" in html
    html = client.get("/staff/", {"q": "nobody"}).content.decode()
    assert "Geen afspraken gevonden." in html


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.PRIVACY_OFFICER])
def test_team_lead_and_privacy_officer_see_no_new_visit(
    client: Client, unit: Unit, process: Process, role: str
) -> None:
    user = factories.make_user(unit=unit, role=role)
    client.force_login(user)
    html = client.get("/staff/").content.decode()
    assert 'href="/staff/visits/new"' not in html
    html = client.get("/staff/visits/new").content.decode()
    assert '<form method="post"' not in html
    assert "U bent nog geen medewerker" in html or 'role="alert"' in html
