"""Whatever the body or query, a 4xx with a code: too deep, too large, not JSON, odd numbers,
years that overflow."""

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
    '{"process": 1, "caseworker": "s", "resident": {"name": "A"}, "scheduled_at": "0001-01-01T00:00"}',
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


QUERIES = [
    "created_after=0001-01-01T00:00:00",
    "created_after=0001-01-01T00:00:00%2B14:00",
    "scheduled_before=9999-12-31T23:59:59-12:00",
    "process=99999999999999999999",
    "state=",
    "case_reference=%00",
]


@pytest.mark.parametrize("query", QUERIES)
def test_odd_queries_are_refused_with_a_code(caller: Caller, query: str) -> None:
    response = caller.get(f"/api/v1/visits?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
