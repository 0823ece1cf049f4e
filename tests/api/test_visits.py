"""Planning, reading, moving and cancelling visits through the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.api.conftest import Caller, plan_body
from videocontact.accounts.models import Process, User
from videocontact.jobs.services import run_due
from videocontact.privacy.models import AuditEvent
from videocontact.visits.models import Invitation, Visit

pytestmark = pytest.mark.django_db


def test_plan_a_visit_returns_working_links_and_state(
    caller: Caller, process: Process, caseworker: User
) -> None:
    body = plan_body(
        process.id,
        guests=[{"role": "interpreter", "name": "Tolk Ahmed", "language": "ar"}],
    )
    response = caller.post("/api/v1/visits", body)
    assert response.status_code == 201, response.content
    data = response.json()
    visit = data["visit"]
    assert visit["state"] == "planned"
    assert visit["case_reference"] == "Z-2026-0042"
    assert visit["caseworker"] == "sanne"
    assert visit["resident_language"] == "ar"
    roles = sorted(link["role"] for link in data["links"])
    assert roles == ["interpreter", "resident"]
    url = next(link["url"] for link in data["links"] if link["role"] == "resident")
    token = url.rsplit("/", 1)[1]
    # The link is the real thing: redeeming it binds the browser and leads to the visit.
    page = caller.http.get(f"/j/{token}")
    assert page.status_code == 302
    assert Invitation.objects.filter(participant__visit_id=visit["id"]).count() == 2
    assert AuditEvent.objects.filter(action="api.call", visit_id=visit["id"]).exists()


def test_contact_details_send_the_invitation(
    caller: Caller, process: Process, caseworker: User
) -> None:
    body = plan_body(process.id)
    body["resident"]["email"] = "amina@example.org"
    response = caller.post("/api/v1/visits", body)
    assert response.status_code == 201, response.content
    run_due(now=timezone.now() + timedelta(seconds=5))
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]


def test_idempotency_key_replays_the_first_answer(
    caller: Caller, process: Process, caseworker: User
) -> None:
    body = plan_body(process.id)
    first = caller.post("/api/v1/visits", body, HTTP_IDEMPOTENCY_KEY="abc-1")
    again = caller.post("/api/v1/visits", body, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Visit.objects.count() == 1
    other = caller.post(
        "/api/v1/visits", plan_body(process.id, case_reference="X"), HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_errors_are_machine_readable(caller: Caller, process: Process, caseworker: User) -> None:
    bad = caller.post("/api/v1/visits", {"process": "x", "resident": {}})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"
    assert set(bad.json()["errors"]) >= {"process", "caseworker", "resident"}
    unknown = caller.post("/api/v1/visits", plan_body(process.id, caseworker="nobody"))
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "caseworker_unknown"
    not_json = caller.http.post(
        "/api/v1/visits",
        "x",
        content_type="text/plain",
        HTTP_AUTHORIZATION=f"Bearer {caller.credential}",
    )
    assert not_json.status_code == 415
    assert not_json.json()["code"] == "unsupported_media_type"
    broken = caller.http.post(
        "/api/v1/visits",
        "{",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {caller.credential}",
    )
    assert broken.status_code == 400
    assert broken.json()["code"] == "malformed_request"
    far = caller.post("/api/v1/visits", plan_body(process.id, scheduled_at="9999-12-31T23:59:59Z"))
    assert far.status_code == 400


def _plan(caller: Caller, process: Process, **extra: Any) -> dict[str, Any]:
    response = caller.post("/api/v1/visits", plan_body(process.id, **extra))
    assert response.status_code == 201, response.content
    return response.json()["visit"]


def test_move_and_cancel(caller: Caller, process: Process, caseworker: User) -> None:
    visit = _plan(caller, process, scheduled_at=(timezone.now() + timedelta(days=1)).isoformat())
    new_time = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    moved = caller.patch(f"/api/v1/visits/{visit['id']}", {"scheduled_at": new_time.isoformat()})
    assert moved.status_code == 200, moved.content
    assert moved.json()["scheduled_at"].startswith(
        new_time.astimezone(timezone.get_current_timezone()).isoformat()[:16]
    )
    cancelled = caller.post(f"/api/v1/visits/{visit['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == "cancelled"
    again = caller.patch(f"/api/v1/visits/{visit['id']}", {"scheduled_at": new_time.isoformat()})
    assert again.status_code == 409
    assert again.json()["code"] == "visit_closed"


def test_list_filters_and_cursor_pagination(
    caller: Caller, process: Process, caseworker: User
) -> None:
    ids = [_plan(caller, process)["id"] for _ in range(5)]
    cancelled = ids[0]
    caller.post(f"/api/v1/visits/{cancelled}/cancel")
    seen: list[str] = []
    url: str | None = "/api/v1/visits?page_size=2"
    while url:
        page = caller.get(url).json()
        seen += [v["id"] for v in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(ids)
    assert len(seen) == 5
    only = caller.get("/api/v1/visits?state=cancelled").json()["results"]
    assert [v["id"] for v in only] == [cancelled]
    planned = caller.get("/api/v1/visits?state=planned,waiting").json()["results"]
    assert len(planned) == 4
    bad = caller.get("/api/v1/visits?state=nonsense")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"
