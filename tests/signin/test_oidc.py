"""Single sign-on against a real OpenID Connect provider on loopback (oidc-provider from npm):
authorization code flow with PKCE, users matched by subject, groups mapped to roles, audited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from tests import factories
from tests.signin.oidc_provider import Provider, running_provider, sign_in_at_provider
from videocontact.accounts.models import Membership, Role, Unit, User
from videocontact.privacy.models import AuditEvent
from videocontact.signin.models import GroupRoleMapping, SsoIdentity, StaffSession

CALLBACK = "http://testserver/accounts/sso/callback/"
SIGNED_OUT = "http://testserver/accounts/login/"
ACCOUNTS = {
    "e.jansen": {
        "preferred_username": "e.jansen",
        "email": "e.jansen@voorbeeldstad.nl",
        "given_name": "Eva",
        "family_name": "Jansen",
        "groups": ["GG-Videocontact-Intake", "GG-Iedereen"],
    },
    "zonder.rol": {"preferred_username": "zonder.rol", "groups": ["GG-Iedereen"]},
    "sanne": {"preferred_username": "sanne", "groups": ["GG-Videocontact-Intake"]},
}


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider(
        redirect_uris=[CALLBACK], accounts=ACCOUNTS, post_logout_uris=(SIGNED_OUT,)
    ) as running:
        yield running


@pytest.fixture
def sso(provider: Provider, settings: Any, unit: Unit) -> Provider:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "videocontact.signin.oidc.StaffOIDCBackend",
    ]
    GroupRoleMapping.objects.create(group="GG-Videocontact-Intake", unit=unit, role=Role.CASEWORKER)
    return provider


def _sso_sign_in(
    client: Client,
    provider: Provider,
    login: str,
    *,
    next_url: str = "/staff/",
    agent: httpx.Client | None = None,
) -> Any:
    start = client.get(f"/accounts/sso/start/?next={next_url}")
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer + "/auth")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["response_type"] == ["code"]
    back = sign_in_at_provider(start["Location"], login=login, stop_at=CALLBACK, agent=agent)
    parts = urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}")


def test_sso_creates_the_staff_user_with_the_mapped_role(
    client: Client, sso: Provider, unit: Unit
) -> None:
    login_page = client.get("/accounts/login/").content.decode()
    assert "Inloggen met het account van uw organisatie" in login_page

    done = _sso_sign_in(client, sso, "e.jansen")
    assert done.status_code == 302 and done["Location"] == "/staff/"
    user = User.objects.get(sso_identity__subject="e.jansen")
    assert (user.username, user.first_name, user.email) == (
        "e.jansen",
        "Eva",
        "e.jansen@voorbeeldstad.nl",
    )
    assert not user.has_usable_password()
    assert list(user.memberships.values_list("unit", "role")) == [(unit.pk, Role.CASEWORKER)]
    assert client.get("/staff/").status_code == 200
    event = AuditEvent.objects.get(action="signin.succeeded")
    assert event.actor_user == user and event.data["method"] == "oidc"
    assert StaffSession.objects.get(user=user).method == "oidc"
    identity = SsoIdentity.objects.get(user=user)
    assert identity.issuer == sso.issuer and "GG-Iedereen" in identity.last_groups


def test_groups_are_followed_at_every_sign_in(client: Client, sso: Provider, unit: Unit) -> None:
    _sso_sign_in(client, sso, "e.jansen")
    user = User.objects.get(sso_identity__subject="e.jansen")
    other_unit = factories.make_unit(organisation=unit.organisation, name="Handhaving")
    GroupRoleMapping.objects.create(group="GG-Iedereen", unit=other_unit, role=Role.TEAM_LEAD)
    GroupRoleMapping.objects.filter(unit=unit).delete()
    GroupRoleMapping.objects.create(group="GG-Videocontact-Intake", unit=unit, role=Role.TEAM_LEAD)

    again = Client()
    _sso_sign_in(again, sso, "e.jansen")
    assert User.objects.filter(sso_identity__subject="e.jansen").count() == 1
    assert set(Membership.objects.filter(user=user).values_list("unit", "role")) == {
        (unit.pk, Role.TEAM_LEAD),
        (other_unit.pk, Role.TEAM_LEAD),
    }
    assert (
        AuditEvent.objects.filter(action="signin.sso_roles_changed", object_id=str(user.pk)).count()
        == 2
    )


def test_someone_without_a_mapped_group_is_not_let_in(client: Client, sso: Provider) -> None:
    done = _sso_sign_in(client, sso, "zonder.rol")
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="zonder.rol").exists()
    page = client.get("/accounts/login/").content.decode()
    assert "lukte niet" in page


def test_a_local_account_with_the_same_name_is_not_taken_over(
    client: Client, sso: Provider, caseworker: User
) -> None:
    assert caseworker.username == "sanne"
    _sso_sign_in(client, sso, "sanne")
    signed_in = User.objects.get(pk=client.session["_auth_user_id"])
    assert signed_in != caseworker and signed_in.username.startswith("sanne-")


def test_a_forged_state_is_refused(client: Client, sso: Provider) -> None:
    client.get("/accounts/sso/start/")
    response = client.get("/accounts/sso/callback/?code=abc&state=forged")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_sso_is_off_unless_configured(client: Client) -> None:
    assert client.get("/accounts/sso/start/").status_code == 404
    assert "account van uw organisatie" not in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ({}, False),
        ({"iss": "https://evil.example"}, True),
        ({"aud": "another-client"}, True),
        ({"aud": ["videocontact", "other"], "azp": "other"}, True),
        ({"aud": ["videocontact", "other"], "azp": "videocontact"}, False),
        ({"exp": 1000.0 - 61}, True),
        ({"exp": 1000.0 - 59}, False),
        ({"exp": None}, True),
    ],
)
def test_id_token_claims_are_checked(change: dict[str, Any], refused: bool) -> None:
    from django.core.exceptions import SuspiciousOperation

    from videocontact.signin.oidc import check_id_token

    payload = {"iss": "https://idp.example", "aud": "videocontact", "exp": 1300.0, **change}
    try:
        check_id_token(payload, issuer="https://idp.example", client_id="videocontact", now=1000.0)
    except SuspiciousOperation:
        assert refused
    else:
        assert not refused


def test_the_discovery_command_prints_the_settings(provider: Provider) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("oidc_discover", provider.issuer, stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    expected = {
        f"OIDC_{k}": v
        for k, v in {
            "ISSUER": provider.issuer,
            "AUTHORIZATION_ENDPOINT": f"{provider.issuer}/auth",
            "TOKEN_ENDPOINT": f"{provider.issuer}/token",
            "USERINFO_ENDPOINT": f"{provider.issuer}/me",
            "JWKS_ENDPOINT": f"{provider.issuer}/jwks",
            "END_SESSION_ENDPOINT": f"{provider.issuer}/session/end",
        }.items()
    }
    assert lines == expected


def test_the_security_page_of_an_sso_user_offers_no_local_factor(
    client: Client, sso: Provider
) -> None:
    _sso_sign_in(client, sso, "e.jansen")
    page = client.get("/accounts/security/").content.decode()
    assert "account van uw organisatie" in page
    assert "Authenticator-app instellen" not in page


def test_signing_out_ends_the_session_at_the_provider_too(client: Client, sso: Provider) -> None:
    """On a shared computer the next person must meet the provider's login form, not be let
    straight back in by the provider's session."""
    with httpx.Client(timeout=10) as browser:
        _sso_sign_in(client, sso, "e.jansen", agent=browser)
        again = browser.get(client.get("/accounts/sso/start/")["Location"])
        assert again.is_redirect, "the provider's session lets the same browser in at once"

        out = client.post("/accounts/logout/")
        assert out.status_code == 302
        target = urlsplit(out["Location"])
        assert f"{target.scheme}://{target.netloc}{target.path}" == f"{sso.issuer}/session/end"
        assert parse_qs(target.query) == {
            "client_id": [sso.client_id],
            "post_logout_redirect_uri": [SIGNED_OUT],
        }
        assert "id_token_hint" not in target.query  # no ID token is kept for this
        assert client.get("/staff/").status_code == 302  # signed out here

        back = sign_in_at_provider(out["Location"], login="", stop_at=SIGNED_OUT, agent=browser)
        assert back == SIGNED_OUT

        fresh = browser.get(client.get("/accounts/sso/start/")["Location"], follow_redirects=True)
        assert 'name="login"' in fresh.text  # the provider asks who it is again


def test_a_password_session_signs_out_only_here(
    client: Client, sso: Provider, caseworker: User
) -> None:
    client.force_login(caseworker)
    out = client.post("/accounts/logout/")
    assert out.status_code == 302 and out["Location"] == "/accounts/login/"


def test_signing_out_needs_a_post(client: Client) -> None:
    assert client.get("/accounts/logout/").status_code == 405
