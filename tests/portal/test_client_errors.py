"""Browser errors reported to the server: validated, rate-limited, logged without personal data."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import structlog
from django.core.cache import cache
from django.test import Client

URL = "/client-errors"
VISIT = str(uuid.uuid4())


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def post(client: Client, body: Any, **headers: str) -> Any:
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    headers.setdefault("HTTP_SEC_FETCH_SITE", "same-origin")
    return client.post(URL, data=data, content_type="application/json", **headers)


def test_an_error_is_logged_with_the_visit_and_without_personal_data(client: Client) -> None:
    report = {
        "kind": "error",
        "message": "bad value amina@example.org 0612345678 at /j/secret-token?x=1",
        "source": "https://host/static/videocontact/js/form.js?v=2",
        "line": 42,
        "visit": VISIT,
    }
    with structlog.testing.capture_logs() as logs:
        response = post(client, report)
    assert response.status_code == 204
    (entry,) = [e for e in logs if e["event"] == "client.error"]
    assert entry["visit"] == VISIT and entry["line"] == 42 and entry["source"] == "form.js"
    text = json.dumps(entry)
    for secret in ("amina@example.org", "0612345678", "secret-token", "x=1"):
        assert secret not in text


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("{", 400, "bad_json"),
        ([], 400, "invalid"),
        ({"kind": "format-disk"}, 400, "invalid"),
        ({"kind": "error", "message": "x" * 5000}, 413, "too_large"),
    ],
)
def test_malformed_reports_are_refused_with_a_reason(
    client: Client, body: Any, status: int, code: str
) -> None:
    response = post(client, body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_other_sites_cannot_report(client: Client) -> None:
    response = post(client, {"kind": "error"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403


def test_only_json(client: Client) -> None:
    response = client.post(
        URL, data="kind=error", content_type="text/plain", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 415


def test_rate_limited(client: Client) -> None:
    statuses = [post(client, {"kind": "error", "message": "m"}).status_code for _ in range(12)]
    assert statuses[:10] == [204] * 10
    assert statuses[10:] == [429, 429]


def test_a_bad_visit_id_is_dropped(client: Client) -> None:
    with structlog.testing.capture_logs() as logs:
        assert post(client, {"kind": "error", "visit": "../../etc"}).status_code == 204
    assert [e["visit"] for e in logs if e["event"] == "client.error"] == [None]
