from __future__ import annotations

import pytest
from django.test import Client

from videocontact.accounts.models import Organisation

pytestmark = pytest.mark.django_db


def test_theme_css_carries_the_organisation_colours(
    client: Client, organisation: Organisation
) -> None:
    organisation.primary_colour = "#aa0000"
    organisation.primary_text_colour = "#000000"
    organisation.save()
    response = client.get(f"/theme/{organisation.slug}.css")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "--vc-color-primary:#aa0000;" in response.content.decode()
    assert "--vc-color-primary-text:#000000;" in response.content.decode()
    assert "public" in response["Cache-Control"]


def test_theme_css_of_unknown_organisation(client: Client) -> None:
    assert client.get("/theme/nobody.css").status_code == 404


def test_theme_css_only_get(client: Client, organisation: Organisation) -> None:
    assert client.post(f"/theme/{organisation.slug}.css").status_code == 405


def test_healthz(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_not_found_page(client: Client) -> None:
    response = client.get("/nothing/here")
    assert response.status_code == 404
    assert "errors/404.html" in [t.name for t in response.templates]


def test_home_redirects_to_the_dashboard(client: Client) -> None:
    assert client.get("/")["Location"] == "/staff/"
