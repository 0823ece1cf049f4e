"""Staff sign-in in Chromium: a passkey registered and used through the DevTools virtual
authenticator, the authenticator-app setup, the session list, single sign-on at a real OpenID
Connect provider on loopback; axe on every page, screenshots for docs/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import STAFF_VIEWPORT, Browsers, staff_session_cookie
from tests.e2e.helpers import axe_check, off_loop, screenshot

PASSWORD = "demo-videocontact"


def _localhost(url: str) -> str:
    # WebAuthn refuses an IP address as relying party id: passkeys need a host name.
    return url.replace("127.0.0.1", "localhost")


def _staff_page(browsers: Browsers, user: Any, *, signed_in: bool) -> Any:
    base = _localhost(browsers.base_url)
    context = browsers.browser.new_context(
        base_url=base, viewport=STAFF_VIEWPORT, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    browsers.contexts.append(context)
    if signed_in:
        context.add_cookies([off_loop(staff_session_cookie, user, base)])
    return browsers._page("staff", context)


def _sign_in_with_password(page: Any, user: Any) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()


def test_passkey_registered_then_used_to_sign_in(browsers: Browsers, demo: Any) -> None:
    user = demo.users["medewerker"]
    page = _staff_page(browsers, user, signed_in=True)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]

    page.goto("/accounts/security/")
    page.get_by_role("heading", name="Inloggen en beveiliging").wait_for()
    axe_check(page, "security page")
    page.get_by_role("link", name="Passkey toevoegen").click()
    page.get_by_label("Naam van deze passkey").fill("Laptop werk")
    axe_check(page, "add passkey")
    page.get_by_role("button", name="Passkey toevoegen").click()
    # The first factor comes with recovery codes, shown once.
    page.get_by_role("heading", name="Uw herstelcodes").wait_for()
    page.get_by_text("De passkey is toegevoegd.").wait_for()
    assert page.get_by_role("list", name="Herstelcodes").get_by_role("listitem").count() == 10
    page.get_by_role("link", name="Ik heb de codes bewaard").click()
    page.wait_for_url(re.compile(r"/accounts/security/$"))
    assert page.get_by_text("Laptop werk").is_visible()
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1
    screenshot(page, "staff-security")

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    _sign_in_with_password(page, user)
    page.wait_for_url(re.compile(r"/accounts/second-factor/$"))
    page.get_by_role("heading", name="Tweede stap").wait_for()
    axe_check(page, "second step")
    screenshot(page, "staff-second-step")
    page.get_by_role("button", name="Passkey gebruiken").click()
    page.wait_for_url(re.compile(r"/staff/$"))
    page.get_by_role("heading", name="Afspraken", exact=True).wait_for()
    after = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert after["credentials"][0]["signCount"] >= 1

    from videocontact.privacy.models import AuditEvent

    event = off_loop(lambda: AuditEvent.objects.filter(action="signin.succeeded").last())
    assert event.data["method"] == "password+webauthn"

    page.goto("/accounts/sessions/")
    page.get_by_role("heading", name="Waar u bent ingelogd").wait_for()
    assert page.get_by_text("deze browser").is_visible()
    axe_check(page, "sessions")
    screenshot(page, "staff-sessions")


def test_authenticator_app_setup_on_first_sign_in(
    browsers: Browsers, demo: Any, settings: Any
) -> None:
    settings.STAFF_SECOND_FACTOR_DEFAULT = True
    user = demo.users["collega"]
    page = _staff_page(browsers, user, signed_in=False)
    _sign_in_with_password(page, user)
    page.wait_for_url(re.compile(r"/accounts/second-factor/setup/$"))
    page.get_by_role("img", name="QR-code voor de authenticator-app").wait_for()
    axe_check(page, "authenticator setup")
    screenshot(page, "staff-authenticator-setup")

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = off_loop(lambda: TOTPDevice.objects.get(user=user, confirmed=False))
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Code van 6 cijfers").fill(f"{code:06d}")
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_role("heading", name="Uw herstelcodes").wait_for()
    assert page.get_by_role("list", name="Herstelcodes").get_by_role("listitem").count() == 10
    axe_check(page, "recovery codes")
    page.get_by_role("link", name="Ik heb de codes bewaard").click()
    page.wait_for_url(re.compile(r"/staff/$"))


@pytest.fixture
def provider(live_server_url: str) -> Iterator[Any]:
    from tests.signin.oidc_provider import running_provider

    callback = f"{live_server_url}/accounts/sso/callback/"
    accounts = {
        "e.jansen": {"preferred_username": "e.jansen", "given_name": "Eva", "groups": ["GG-Intake"]}
    }
    with running_provider(redirect_uris=[callback], accounts=accounts) as running:
        yield running


def test_single_sign_on_at_the_municipality_provider(
    browsers: Browsers, demo: Any, provider: Any, settings: Any
) -> None:
    from videocontact.accounts.models import Role
    from videocontact.signin.models import GroupRoleMapping

    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "videocontact.signin.oidc.StaffOIDCBackend",
    ]
    unit = demo.processes["bijstand-aanvraag"].unit
    off_loop(GroupRoleMapping.objects.create, group="GG-Intake", unit=unit, role=Role.CASEWORKER)

    page = browsers.staff(demo.users["medewerker"], label="sso")
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    axe_check(page, "login with SSO")
    screenshot(page, "staff-login-sso")
    page.get_by_role("link", name="Inloggen met het account van uw organisatie").click()
    page.wait_for_url(re.compile(re.escape(provider.issuer) + "/interaction/"))
    page.locator("input[name=login]").fill("e.jansen")
    page.locator("input[name=password]").fill("any")
    page.locator("button[type=submit]").first.click()
    page.locator("button[type=submit]").first.click()  # the provider's consent page
    page.wait_for_url(re.compile(r"/staff/$"))
    page.get_by_role("heading", name="Afspraken", exact=True).wait_for()


def test_too_many_wrong_passwords_blocks_with_a_clear_message(
    browsers: Browsers, demo: Any, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    user = demo.users["teamleider"]
    page = _staff_page(browsers, user, signed_in=False)
    page.goto("/accounts/login/")
    for _ in range(3):
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill("wrong-password")
        page.get_by_role("button", name="Inloggen", exact=True).click()
        page.wait_for_load_state()
    _sign_in_with_password(page, user)  # the right password, too late
    page.get_by_role("heading", name="Inloggen tijdelijk geblokkeerd").wait_for()
    assert page.get_by_role("alert").is_visible()
    axe_check(page, "locked out")
    screenshot(page, "staff-login-locked")
