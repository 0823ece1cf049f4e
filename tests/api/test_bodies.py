"""Whatever the body, a 4xx with a code: too deep, too large, not JSON, odd numbers."""

from __future__ import annotations

import pytest

from tests.api.conftest import Caller

pytestmark = pytest.mark.django_db

BODIES = [
    "[" * 100_000,
    '{"a":' * 50_000 + "1" + "}" * 50_000,
    '"\\ud800"',
    "1e999999",
    '{"process": 1e400, "caseworker": [], "resident": "x"}',
    '{"process": 1, "resident": {"name": "A", "language": "xx"}, "guests": "no"}',
    "x" * 300_000,
    '{"process": 1, "caseworker": "sanne", "resident": {"name": "\\u0000"}}',
]


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_odd_bodies_are_refused_with_a_code(caller: Caller, body: str) -> None:
    response = caller.http.post(
        "/api/v1/visits",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {caller.credential}",
    )
    assert 400 <= response.status_code < 500
    assert response.json()["code"] in {"malformed_request", "invalid"}
