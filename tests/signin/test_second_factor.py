"""A second factor for local accounts: setup on first sign-in, the code step, recovery codes,
the per-organisation policy, and that nothing is signed in before the second step."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from videocontact.accounts.models import Organisation, User
from videocontact.privacy.models import AuditEvent
from videocontact.signin import factors
from videocontact.signin.models import OrganisationSignInPolicy

PASSWORD = "a-long-test-password"


@pytest.fixture
def staff(caseworker: User) -> User:
    caseworker.set_password(PASSWORD)
    caseworker.save()
    return caseworker


@pytest.fixture
def required(settings: Any) -> None:
    settings.STAFF_SECOND_FACTOR_DEFAULT = True


def _code(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _password(client: Client, user: User, next_url: str = "") -> Any:
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def _enrol(user: User) -> TOTPDevice:
    device = factors.totp_pending_device(user)
    factors.totp_confirm(user=user, code=_code(device))
    device.refresh_from_db()
    return device


def test_first_sign_in_sets_up_the_app_and_shows_recovery_codes(
    client: Client, staff: User, required: None
) -> None:
    response = _password(client, staff, next_url="/staff/visits/new")
    assert response["Location"] == "/accounts/second-factor/"
    assert "_auth_user_id" not in client.session  # not signed in before the second step
    assert client.get("/staff/")["Location"].startswith("/accounts/login/")

    response = client.get("/accounts/second-factor/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/second-factor/setup/"
    assert "Authenticator-app instellen" in page and "data:image/svg+xml" in page
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page).group(1)  # type: ignore[union-attr]
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert secret.replace(" ", "") in __import__("base64").b32encode(device.bin_key).decode()

    wrong = client.post("/accounts/second-factor/setup/", {"code": "000000"})
    assert wrong.status_code == 400 and "klopt niet" in wrong.content.decode()

    done = client.post("/accounts/second-factor/setup/", {"code": _code(device)})
    codes = re.findall(r"<code>([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})</code>", done.content.decode())
    assert len(codes) == 10
    assert 'href="/staff/visits/new"' in done.content.decode()
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get("/staff/").status_code == 200
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "signin.totp_added" in actions and "signin.recovery_codes_issued" in actions
    assert AuditEvent.objects.get(action="signin.succeeded").data["method"] == "password+totp"


def test_enrolled_user_types_the_code(client: Client, staff: User) -> None:
    device = _enrol(staff)  # enrolled voluntarily: asked even when not required
    assert _password(client, staff)["Location"] == "/accounts/second-factor/"
    assert "_auth_user_id" not in client.session
    bad = client.post("/accounts/second-factor/", {"kind": "totp", "code": "123456"})
    assert bad.status_code == 400 and "Controleer de code" in bad.content.decode()
    assert AuditEvent.objects.filter(action="signin.second_factor_failed").count() == 1
    # django-otp throttles after a wrong code (1 s, doubling); and it never takes a code twice,
    # so the next time step's code is used (its window allows one step of drift).
    time.sleep(1.1)
    ok = client.post("/accounts/second-factor/", {"kind": "totp", "code": _code(device, offset=1)})
    assert ok.status_code == 302 and ok["Location"] == "/staff/"
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_recovery_code_works_once(client: Client, staff: User) -> None:
    _enrol(staff)
    codes = factors.recovery_codes_issue(user=staff)
    _password(client, staff)
    page = client.get("/accounts/second-factor/?recovery=1").content.decode()
    assert "Een van uw herstelcodes" in page
    ok = client.post("/accounts/second-factor/", {"kind": "recovery", "code": codes[0].upper()})
    assert ok.status_code == 302
    assert factors.recovery_codes_left(staff) == 9
    other = Client()
    _password(other, staff)
    again = other.post("/accounts/second-factor/", {"kind": "recovery", "code": codes[0]})
    assert again.status_code == 400
    assert AuditEvent.objects.filter(action="signin.recovery_code_used").count() == 1


def test_wrong_codes_count_towards_the_lockout(client: Client, staff: User, settings: Any) -> None:
    _enrol(staff)
    _password(client, staff)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/second-factor/", {"kind": "totp", "code": "000000"})
    blocked = client.post("/accounts/second-factor/", {"kind": "recovery", "code": "x"})
    assert blocked.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in blocked.content.decode()
    assert AuditEvent.objects.filter(action="signin.locked_out").count() == 1


def test_the_pending_step_expires(client: Client, staff: User, required: None) -> None:
    _enrol(staff)
    _password(client, staff)
    session = client.session
    session["signin_pending"]["at"] -= 3600
    session.save()
    response = client.get("/accounts/second-factor/")
    assert response["Location"] == "/accounts/login/"


def test_policy_per_organisation(staff: User, organisation: Organisation, settings: Any) -> None:
    settings.STAFF_SECOND_FACTOR_DEFAULT = False
    assert not factors.second_factor_required(staff)
    OrganisationSignInPolicy.objects.create(organisation=organisation, require_second_factor=True)
    assert factors.second_factor_required(staff)

    settings.STAFF_SECOND_FACTOR_DEFAULT = True
    OrganisationSignInPolicy.objects.filter(organisation=organisation).update(
        require_second_factor=False
    )
    assert not factors.second_factor_required(staff)
    # Without any membership (an administrator) the default applies.
    assert factors.second_factor_required(factories.make_user(role=None))


def test_the_security_page_adds_and_removes_the_app(staff: User) -> None:
    client = Client()
    client.force_login(staff)
    page = client.get("/accounts/security/").content.decode()
    assert "Authenticator-app instellen" in page and "Nog geen passkey." in page
    client.get("/accounts/security/app/")
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post("/accounts/security/app/", {"code": _code(device)})
    assert "Uw herstelcodes" in response.content.decode()
    assert factors.has_second_factor(staff)
    client.post("/accounts/security/app/remove/")
    assert not factors.has_second_factor(staff)
    assert AuditEvent.objects.filter(action="signin.totp_removed", actor_user=staff).exists()


def test_the_admin_login_asks_the_second_factor_too(staff: User) -> None:
    staff.is_staff = True
    staff.save()
    _enrol(staff)
    client = Client()
    response = client.post(
        "/admin/login/", {"username": staff.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/accounts/second-factor/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "credential",
    ["", "not json", "[]", '{"rawId": "!!", "response": {}}', '{"id": "x"}' + " " * 30_000],
)
def test_a_malformed_passkey_answer_is_a_clear_refusal(
    client: Client, staff: User, credential: str
) -> None:
    from videocontact.signin.models import WebAuthnCredential

    WebAuthnCredential.objects.create(
        user=staff, name="Sleutel", credential_id=b"abc", public_key=b"xyz"
    )
    _password(client, staff)
    client.get("/accounts/second-factor/")  # issues a challenge
    response = client.post(
        "/accounts/second-factor/", {"kind": "passkey", "credential": credential}
    )
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session

    signed_in = Client()
    signed_in.force_login(staff)
    signed_in.get("/accounts/security/passkeys/new/")
    added = signed_in.post(
        "/accounts/security/passkeys/new/", {"name": "x", "credential": credential}
    )
    assert added.status_code == 400 and "kon niet worden toegevoegd" in added.content.decode()


def test_a_passkey_is_removed_by_its_owner_only(staff: User, colleague: User) -> None:
    from videocontact.signin.models import WebAuthnCredential

    key = WebAuthnCredential.objects.create(
        user=staff, name="Sleutel", credential_id=b"abc", public_key=b"xyz"
    )
    other = Client()
    other.force_login(colleague)
    other.post(f"/accounts/security/passkeys/{key.pk}/remove/")
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()
    owner = Client()
    owner.force_login(staff)
    owner.post(f"/accounts/security/passkeys/{key.pk}/remove/")
    assert not WebAuthnCredential.objects.filter(pk=key.pk).exists()
    assert AuditEvent.objects.filter(action="signin.passkey_removed").count() == 1


def test_an_administrator_resets_lost_factors(staff: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    _enrol(staff)
    factors.recovery_codes_issue(user=staff)
    admin = factories.make_user(role=None, is_staff=True)
    out = StringIO()
    call_command("signin_reset_factors", staff.username, by=admin.username, stdout=out)
    assert not factors.has_second_factor(staff) and factors.recovery_codes_left(staff) == 0
    event = AuditEvent.objects.get(action="signin.factors_reset")
    assert event.actor_user == admin and event.object_id == str(staff.pk)
