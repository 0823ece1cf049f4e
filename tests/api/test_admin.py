"""A functional administrator creates an API client and a webhook in the admin: the credential
is shown once, stored hashed (or sealed), and works; the delivery log is readable."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.helpers import db_columns_containing
from videocontact.api.models import ApiClient, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_evidence_dir(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def admin_client(unit: Any) -> Client:
    admin = factories.make_user(unit=unit, role="functional_admin", username="beheer")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    return client


def _shown(response: Any, prefix: str) -> str:
    found = re.search(rf"({re.escape(prefix)}[A-Za-z0-9_.+/=-]+)", response.content.decode())
    assert found, "the new credential is shown after saving"
    return found.group(1)


def test_create_client_secret_shown_once_and_working(
    admin_client: Client, organisation: Any, unit: Any
) -> None:
    form = {
        "organisation": organisation.pk,
        "name": "Zaaksysteem",
        "client_id": "zaaksysteem",
        "kind": "secret",
        "scopes": ["visits:write", "results:read"],
        "units": [unit.pk],
        "rate_limit_per_minute": 60,
        "is_active": "on",
    }
    response = admin_client.post("/admin/api/apiclient/add/", form, follow=True)
    assert response.status_code == 200
    credential = _shown(response, "ovc.zaaksysteem.")
    client = ApiClient.objects.get()
    assert client.scopes == ["visits:write", "results:read"]
    assert db_columns_containing(credential.rsplit(".", 1)[1]) == []
    page = admin_client.get(f"/admin/api/apiclient/{client.pk}/change/")
    assert credential not in page.content.decode()
    assert (
        Client().get("/api/v1/visits", HTTP_AUTHORIZATION=f"Bearer {credential}").status_code == 200
    )

    # Units of another organisation are refused.
    other = factories.make_unit()
    refused = admin_client.post(
        "/admin/api/apiclient/add/", {**form, "client_id": "x", "units": [other.pk]}
    )
    assert refused.status_code == 200
    assert ApiClient.objects.count() == 1


def test_create_webhook_and_see_the_log(admin_client: Client, organisation: Any, unit: Any) -> None:
    from tests.api.conftest import make_api_client

    client, _ = make_api_client(organisation=organisation, units=[unit])
    response = admin_client.post(
        "/admin/api/webhookendpoint/add/",
        {"client": client.pk, "url": "https://zaken.example.nl/hooks", "is_active": "on"},
        follow=True,
    )
    secret = _shown(response, "whsec_")
    assert WebhookEndpoint.objects.get().url == "https://zaken.example.nl/hooks"
    assert db_columns_containing(secret) == []
    http = admin_client.post(
        "/admin/api/webhookendpoint/add/",
        {"client": client.pk, "url": "http://zaken.example.nl/hooks", "is_active": "on"},
    )
    assert http.status_code == 200 and WebhookEndpoint.objects.count() == 1
    assert admin_client.get("/admin/api/webhookdelivery/").status_code == 200
