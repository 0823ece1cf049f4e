"""Fixtures for the API tests: clients with credentials, a Django test client speaking JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from videocontact.accounts.models import Organisation, Unit
from videocontact.api.clients import client_save
from videocontact.api.models import ALL_SCOPES, ApiClient


@dataclass
class Caller:
    """One API client and its credential, calling through Django's test client."""

    client: ApiClient
    credential: str
    http: Client

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.credential}", **(extra or {})}

    def get(self, path: str, **extra: str) -> Any:
        return self.http.get(path, **self._headers(extra))

    def post(self, path: str, body: Any = None, **extra: str) -> Any:
        data = json.dumps(body if body is not None else {})
        return self.http.post(path, data, content_type="application/json", **self._headers(extra))

    def patch(self, path: str, body: Any, **extra: str) -> Any:
        data = json.dumps(body)
        return self.http.patch(path, data, content_type="application/json", **self._headers(extra))


def make_api_client(
    *,
    organisation: Organisation,
    units: list[Unit],
    scopes: list[str] | None = None,
    kind: str = "secret",
    client_id: str | None = None,
    rate: int = 1000,
) -> tuple[ApiClient, str]:
    client = ApiClient(
        organisation=organisation,
        name="Zaaksysteem",
        client_id=client_id or f"zaaksysteem-{ApiClient.objects.count() + 1}",
        kind=kind,
        scopes=ALL_SCOPES if scopes is None else scopes,
        rate_limit_per_minute=rate,
    )
    secret = client_save(client=client, new_secret=True, by_user=None)
    assert secret is not None
    client.units.set(units)
    return client, secret


@pytest.fixture
def keep_db_connection() -> Iterator[None]:
    """Calls through a bare WSGI application (httpx's WSGITransport, schemathesis) must not close
    the test's database connection at the end of each request, as Django's test client also
    makes sure; on PostgreSQL that would end the test's transaction."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def make_caller(organisation: Organisation, unit: Unit) -> Callable[..., Caller]:
    def make(**kwargs: Any) -> Caller:
        kwargs.setdefault("organisation", organisation)
        kwargs.setdefault("units", [unit])
        client, secret = make_api_client(**kwargs)
        return Caller(client=client, credential=secret, http=Client())

    return make


@pytest.fixture
def caller(make_caller: Callable[..., Caller]) -> Caller:
    return make_caller()


def plan_body(process_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "process": process_id,
        "caseworker": "sanne",
        "case_reference": "Z-2026-0042",
        "resident": {"name": "Amina Haddad", "language": "ar"},
        **extra,
    }
