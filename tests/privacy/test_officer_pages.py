"""The privacy officer searches the audit trail of their own organisation and sets or lifts a
legal hold; nobody else sees these pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from videocontact.accounts.models import Role, Unit, User
from videocontact.privacy.models import AuditEvent, LegalHold
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(unit: Unit) -> User:
    return factories.make_user(unit=unit, role=Role.PRIVACY_OFFICER, username="fg")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_officer_finds_the_events_of_their_organisation_only(
    officer: User, visit: Visit, outsider: User
) -> None:
    foreign_unit = outsider.memberships.get().unit
    foreign_visit, _ = factories.make_visit(
        process=foreign_unit.processes.first(), caseworker=outsider
    )
    page = signed_in(officer).get("/staff/privacy/audit", {"action": "visit."})
    assert page.status_code == 200
    shown = {e.visit_id for e in page.context["events"]}
    assert visit.id in shown and foreign_visit.id not in shown
    assert AuditEvent.objects.filter(action="audit.searched", actor_user=officer).exists()
    by_visit = signed_in(officer).get("/staff/privacy/audit", {"visit": str(foreign_visit.id)})
    assert list(by_visit.context["events"]) == []
    assert signed_in(officer).get("/staff/privacy/audit", {"visit": "nope"}).status_code == 200


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN])
def test_other_roles_do_not_see_the_pages(unit: Unit, visit: Visit, role: str) -> None:
    client = signed_in(factories.make_user(unit=unit, role=role))
    assert client.get("/staff/privacy/audit").status_code == 404
    assert client.post(f"/staff/privacy/visits/{visit.id}/hold", {"reason": "x"}).status_code == 404
    assert not LegalHold.objects.exists()


def test_the_officer_sets_and_lifts_a_hold_in_their_organisation_only(
    officer: User, visit: Visit, outsider: User
) -> None:
    client = signed_in(officer)
    assert (
        client.post(f"/staff/privacy/visits/{visit.id}/hold", {"reason": "bezwaar"}).status_code
        == 302
    )
    assert LegalHold.objects.get(visit=visit, lifted_at__isnull=True).reason == "bezwaar"
    assert client.post(f"/staff/privacy/visits/{visit.id}/release").status_code == 302
    assert LegalHold.objects.get(visit=visit).lifted_by == officer
    foreign_visit, _ = factories.make_visit(
        process=outsider.memberships.get().unit.processes.first(), caseworker=outsider
    )
    assert (
        client.post(f"/staff/privacy/visits/{foreign_visit.id}/hold", {"reason": "x"}).status_code
        == 404
    )
