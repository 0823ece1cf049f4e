"""Who may do what: credentials (secret, JWT), scopes, units, organisations, rate limits."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from tests import factories
from tests.api.conftest import Caller, plan_body
from videocontact.accounts.models import Organisation, Process, Role, Unit, User
from videocontact.api import credentials
from videocontact.api.models import ApiClient
from videocontact.privacy.models import AuditEvent
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_no_or_wrong_credential_is_a_401(caller: Caller, visit: Visit) -> None:
    for header in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer ovc.nope.nope"},
        {"HTTP_AUTHORIZATION": "Basic x"},
    ):
        response = caller.http.get("/api/v1/visits", **header)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
    wrong = f"ovc.{caller.client.client_id}.{'x' * 43}"
    assert (
        caller.http.get("/api/v1/visits", HTTP_AUTHORIZATION=f"Bearer {wrong}").status_code == 401
    )


def test_secret_is_stored_hashed(caller: Caller) -> None:
    secret = caller.credential.rsplit(".", 1)[1]
    row = ApiClient.objects.values().get(pk=caller.client.pk)
    assert secret not in str(row)
    assert row["secret_hash"]


def test_inactive_client_is_refused(caller: Caller) -> None:
    ApiClient.objects.filter(pk=caller.client.pk).update(is_active=False)
    assert caller.get("/api/v1/visits").status_code == 401


@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [
        (["visits:write"], {"plan", "list", "cancel"}),
        (["results:read"], {"list", "answers"}),
        (["statistics:read"], {"statistics"}),
    ],
)
def test_each_scope_allows_its_calls_only(
    make_caller: Callable[..., Caller],
    process: Process,
    visit: Visit,
    scopes: list[str],
    allowed: set[str],
) -> None:
    caller = make_caller(scopes=scopes)
    calls = {
        "plan": lambda: caller.post("/api/v1/visits", plan_body(process.id)),
        "list": lambda: caller.get("/api/v1/visits"),
        "answers": lambda: caller.get(f"/api/v1/visits/{visit.id}/answers"),
        "statistics": lambda: caller.get("/api/v1/statistics/visits"),
        "cancel": lambda: caller.post(f"/api/v1/visits/{visit.id}/cancel"),
    }
    for name, call in calls.items():
        response = call()
        if name in allowed:
            assert response.status_code != 403, name
        else:
            assert response.status_code == 403, name
            assert response.json()["code"] == "forbidden"


def test_other_units_and_organisations_stay_invisible(
    make_caller: Callable[..., Caller],
    organisation: Organisation,
    process: Process,
    visit: Visit,
    outsider: User,
) -> None:
    other_unit = factories.make_unit(organisation=organisation)
    other_process = factories.make_process(unit=other_unit)
    factories.make_user(unit=other_unit, role=Role.CASEWORKER, username="piet")
    other_unit_caller = make_caller(units=[other_unit])
    foreign_unit: Unit = outsider.memberships.get().unit
    foreign_process = foreign_unit.processes.get()
    foreign_caller = make_caller(organisation=foreign_unit.organisation, units=[foreign_unit])
    for who in (other_unit_caller, foreign_caller):
        assert who.get(f"/api/v1/visits/{visit.id}").status_code == 404
        assert who.get(f"/api/v1/visits/{visit.id}/reports").status_code == 404
        assert who.post(f"/api/v1/visits/{visit.id}/cancel").status_code == 404
        assert who.get("/api/v1/visits").json()["results"] == []
        refused = who.post("/api/v1/visits", plan_body(process.id))
        assert refused.status_code == 422
        assert refused.json()["code"] == "process_unknown"
    # Its own unit is fine; a caseworker of another unit cannot be named.
    assert (
        other_unit_caller.post(
            "/api/v1/visits", plan_body(other_process.id, caseworker="piet")
        ).status_code
        == 201
    )
    assert (
        other_unit_caller.post(
            "/api/v1/visits", plan_body(other_process.id, caseworker="sanne")
        ).json()["code"]
        == "caseworker_unknown"
    )
    assert (
        foreign_caller.post(
            "/api/v1/visits", plan_body(foreign_process.id, caseworker="sanne")
        ).json()["code"]
        == "caseworker_unknown"
    )
    assert Visit.objects.get(pk=visit.pk).status == "planned"


def _jwt(client_id: str, secret: str, **claims: Any) -> str:
    payload = {"iss": client_id, "client_id": client_id, "iat": int(time.time()), **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


def test_zgw_style_jwt(make_caller: Callable[..., Caller], visit: Visit) -> None:
    caller = make_caller(kind="jwt", client_id="zaaksysteem-jwt")
    secret = caller.credential
    assert credentials.jwt_secret(caller.client) == secret
    ok = caller.http.get(
        "/api/v1/visits", HTTP_AUTHORIZATION=f"Bearer {_jwt('zaaksysteem-jwt', secret)}"
    )
    assert ok.status_code == 200
    for bad in (
        _jwt("zaaksysteem-jwt", "a-wrong-secret-of-thirty-two-bytes!"),
        _jwt("zaaksysteem-jwt", secret, iat=int(time.time()) - 10 * 3600),
        _jwt("someone-else", secret),
        jwt.encode({"client_id": "zaaksysteem-jwt"}, secret, algorithm="HS256"),  # no iat
        jwt.encode(
            {"client_id": "zaaksysteem-jwt", "iat": int(time.time())}, secret * 2, algorithm="HS512"
        ),
    ):
        response = caller.http.get("/api/v1/visits", HTTP_AUTHORIZATION=f"Bearer {bad}")
        assert response.status_code == 401, bad


def test_rate_limit_per_client(
    make_caller: Callable[..., Caller], visit: Visit, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [datetime(2026, 12, 4, 10, 0, 10, tzinfo=UTC)]
    monkeypatch.setattr("videocontact.api.auth._now", lambda: clock[0])
    slow = make_caller(rate=3)
    other = make_caller(rate=3)
    statuses = [slow.get("/api/v1/visits").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = slow.get("/api/v1/visits")
    assert limited.json()["code"] == "rate_limited"
    assert int(limited["Retry-After"]) == 50
    assert other.get("/api/v1/visits").status_code == 200
    clock[0] += timedelta(minutes=1)  # a new minute, a new count
    assert slow.get("/api/v1/visits").status_code == 200


def test_every_call_is_audited(caller: Caller, visit: Visit) -> None:
    caller.get(f"/api/v1/visits/{visit.id}")
    caller.get("/api/v1/visits?state=bogus")
    events = AuditEvent.objects.filter(action="api.call").order_by("id")
    assert [(e.data["method"], e.data["status"]) for e in events] == [("GET", 200), ("GET", 400)]
    assert events[0].visit_id == visit.id
    assert events[0].data["client"] == caller.client.client_id
