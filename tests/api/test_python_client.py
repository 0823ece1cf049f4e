"""The Python client in clients/python plans, reads, moves and cancels a visit (in process,
through the WSGI application)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from ovc_client import ApiError, Client

from tests.api.conftest import make_api_client
from videocontact.accounts.models import Organisation, Process, Unit, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]


def _client(organisation: Organisation, unit: Unit, **kwargs: object) -> Client:
    transport = httpx.WSGITransport(app=get_wsgi_application())
    api_client, secret = make_api_client(organisation=organisation, units=[unit], **kwargs)  # type: ignore[arg-type]
    if api_client.kind == "jwt":
        return Client(
            "http://testserver",
            client_id=api_client.client_id,
            jwt_secret=secret,
            transport=transport,
        )
    return Client("http://testserver", token=secret, transport=transport)


def test_client_plans_moves_and_cancels(
    organisation: Organisation, unit: Unit, process: Process, caseworker: User
) -> None:
    api = _client(organisation, unit)
    assert [p["id"] for p in api.processes()] == [process.id]
    when = timezone.now() + timedelta(days=1)
    planned = api.plan_visit(
        process=process.id,
        caseworker="sanne",
        resident_name="Amina Haddad",
        language="ar",
        scheduled_at=when,
        case_reference="Z-1",
        guests=[{"role": "family", "name": "Karim"}],
        idempotency_key="z-1-plan",
    )
    visit_id = planned["visit"]["id"]
    assert {link["role"] for link in planned["links"]} == {"resident", "family"}
    again = api.plan_visit(
        process=process.id,
        caseworker="sanne",
        resident_name="Amina Haddad",
        language="ar",
        scheduled_at=when,
        case_reference="Z-1",
        guests=[{"role": "family", "name": "Karim"}],
        idempotency_key="z-1-plan",
    )
    assert again == planned
    assert [v["id"] for v in api.visits(case_reference="Z-1")] == [visit_id]
    api.move_visit(visit_id, when + timedelta(days=1))
    assert api.cancel_visit(visit_id)["state"] == "cancelled"
    with pytest.raises(ApiError) as refused:
        api.move_visit(visit_id, when)
    assert (refused.value.status, refused.value.code) == (409, "visit_closed")


def test_jwt_client(organisation: Organisation, unit: Unit, process: Process) -> None:
    api = _client(organisation, unit, kind="jwt", client_id="zaak-jwt")
    assert api.visit_counts() == []
    assert api.rating_statistics()["total"]["count"] == 0
