"""Every staff URL that names a visit (found by walking the URL configuration, so new ones are
covered too), GET and POST,, for every role, held by someone of another unit of the same
organisation and of another organisation: never a page, never a change, never a 500. And the
room refuses every one of them at the door, so no frame type reaches a handler."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories
from tests.ws import RoomClient
from videocontact.accounts.models import Role, Unit, User
from videocontact.privacy.models import AuditEvent
from videocontact.visits.models import Participant, Visit

ROLES = [Role.CASEWORKER, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER]
WHERE = ["foreign unit", "foreign organisation"]


def _walk(patterns: list, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def staff_routes() -> list[str]:
    """Routes with a visit in them, except the resident's own (session-bound) pages."""
    return sorted(
        route
        for route in _walk(get_resolver().url_patterns)
        if "<uuid:visit_id>" in route and not route.startswith(("v/", "admin/"))
    )


def fill(route: str, visit: Visit, resident: Participant) -> str:
    path = route.replace("<uuid:visit_id>", str(visit.id))
    path = path.replace("<uuid:participant_id>", str(resident.id))
    path = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), path)
    return "/" + re.sub(r"<int:\w+>", "1", path)


def stranger(where: str, role: str, unit: Unit) -> User:
    if where == "foreign unit":
        other = factories.make_unit(organisation=unit.organisation, name=f"Andere {role}")
    else:
        other = factories.make_unit(organisation=factories.make_organisation())
    factories.make_process(unit=other)
    return factories.make_user(unit=other, role=role)


def test_the_walk_covers_the_staff_urls() -> None:
    routes = staff_routes()
    assert len(routes) >= 20, routes
    assert any("photos/<uuid:photo_id>" in r for r in routes)
    assert any("reports/<uuid:report_id>/download" in r for r in routes)
    assert any(r.startswith("staff/privacy/") for r in routes)


@pytest.mark.django_db
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
def test_no_staff_url_opens_for_another_unit_or_organisation(
    where: str, role: str, unit: Unit, visit: Visit, resident: Participant
) -> None:
    user = stranger(where, role, unit)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    events_before = AuditEvent.objects.exclude(action="auth.signed_in").count()
    status_before = Visit.objects.get(pk=visit.pk).status
    for route in staff_routes():
        officer_at_home = role == Role.PRIVACY_OFFICER and where == "foreign unit"
        if route.startswith("staff/privacy/") and officer_at_home:
            continue  # the privacy officer's scope is the whole organisation, by design
        path = fill(route, visit, resident)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            # 401: the API takes its own credentials, not a staff session
            assert response.status_code in (401, 403, 404, 405), (
                method,
                path,
                response.status_code,
            )
    assert Visit.objects.get(pk=visit.pk).status == status_before
    assert AuditEvent.objects.exclude(action="auth.signed_in").count() == events_before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
async def test_the_room_refuses_every_role_of_another_unit_or_organisation(
    where: str, role: str, unit: Unit, visit: Visit
) -> None:
    user = await database_sync_to_async(stranger)(where, role, unit)
    key = await database_sync_to_async(factories.staff_session)(user)
    client = RoomClient(visit.id, key)
    assert await client.connect()
    await client.expect_error("unauthorized")
    await client.expect_closed(4401)
    await client.close()
