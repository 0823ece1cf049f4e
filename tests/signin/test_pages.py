"""Every sign-in page: answers, no inline script (strict CSP), Dutch first and English."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from tests.helpers import inline_script_problems
from videocontact.accounts.models import User
from videocontact.signin.models import WebAuthnCredential

SIGNED_IN_PAGES = [
    "/accounts/security/",
    "/accounts/security/app/",
    "/accounts/security/passkeys/new/",
    "/accounts/sessions/",
]


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_pages(caseworker: User, path: str) -> None:
    WebAuthnCredential.objects.create(
        user=caseworker, name="Sleutel <b>", credential_id=b"k", public_key=b"p"
    )
    client = Client()
    client.force_login(caseworker)
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert not inline_script_problems(html)
    assert "<b>" not in html  # names are escaped
    assert response["Cache-Control"].startswith("max-age=0")  # never_cache


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_anonymous_is_sent_to_sign_in(client: Client, path: str) -> None:
    assert client.get(path)["Location"].startswith("/accounts/login/")


def test_pages_in_english(caseworker: User) -> None:
    client = Client()
    client.force_login(caseworker)
    client.cookies["vc_language"] = "en"
    with translation.override("en"):
        html = client.get("/accounts/sessions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Where you are signed in" in html


def test_second_step_without_pending_sign_in_goes_back(client: Client) -> None:
    response = client.get("/accounts/second-factor/")
    assert response["Location"] == "/accounts/login/"
    assert client.post("/accounts/second-factor/setup/", {"code": "1"}).status_code == 302
