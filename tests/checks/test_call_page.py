"""The call page with the location check off (nothing of it on the page, geolocation blocked by
the Permissions-Policy) and on (the resident's page may ask the browser; the caseworker's panel)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from tests.checks.test_location import switch_on
from videocontact.accounts.models import Organisation, Unit, User
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db


def resident_call(client: Client, visit: Visit, token: str, language: str = "nl") -> object:
    client.get(f"/j/{token}")
    client.cookies["vc_language"] = language
    assert client.post(f"/v/{visit.id}/consent", {"decision": "accept"}).status_code == 302
    return client.get(f"/v/{visit.id}/call")


def test_off_nothing_on_the_page(client: Client, visit: Visit, token: str) -> None:
    page = resident_call(client, visit, token)
    assert "geolocation=()" in page["Permissions-Policy"]
    assert "vc-checks-config" not in page.content.decode()


def test_on_the_resident_may_be_asked(
    client: Client, visit: Visit, token: str, organisation: Organisation, unit: Unit
) -> None:
    switch_on(organisation, unit)
    page = resident_call(client, visit, token, "ar")
    assert "geolocation=(self)" in page["Permissions-Policy"]
    assert "camera=(self)" in page["Permissions-Policy"]
    html = page.content.decode()
    assert 'id="vc-checks-config"' in html and "checks-entry.js" in html
    found = re.search(r'<script id="vc-checks-config" type="application/json">(.*?)</script>', html)
    assert found is not None
    strings = json.loads(found.group(1))["strings"]
    assert "هل تسمح لهاتفك بمشاركة موقعك" in strings["locAsk"]  # in the resident's language
    assert 'dir="rtl"' in html
    # Every other page still blocks it.
    assert "geolocation=()" in client.get(f"/v/{visit.id}/check")["Permissions-Policy"]


def test_the_caseworker_gets_the_panel_only_when_on(
    visit: Visit, caseworker: User, organisation: Organisation, unit: Unit
) -> None:
    client = Client()
    client.force_login(caseworker)
    url = f"/staff/visits/{visit.id}/call"
    assert "vc-location-staff" not in client.get(url).content.decode()
    switch_on(organisation, unit)
    html = client.get(url).content.decode()
    assert 'id="vc-location-staff"' in html and "Locatiecontrole" in html
    assert "geolocation=()" in client.get(url)["Permissions-Policy"]
