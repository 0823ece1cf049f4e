"""Second factors for local accounts: an authenticator app (TOTP, django-otp), passkeys
(WebAuthn, py_webauthn) and one-time recovery codes (django-otp's static tokens)."""

from __future__ import annotations

import base64
import json
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import AuthenticatorSelectionCriteria as Selection
from webauthn.helpers.structs import (
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from videocontact.accounts.models import User
from videocontact.privacy.audit import audit
from videocontact.signin.models import OrganisationSignInPolicy, WebAuthnCredential

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "app"
RECOVERY_NAME = "recovery"
CHALLENGE_KEY = "signin_webauthn_challenge"


class FactorError(Exception):
    """A second factor could not be set up or checked; `code` names why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# Policy ----------------------------------------------------------------------------------------


def has_second_factor(user: User) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user).exists()
    )


def second_factor_required(user: User) -> bool:
    """Required when one of the user's organisations asks for it (or, without an explicit
    policy, STAFF_SECOND_FACTOR_DEFAULT says so); always asked once the user has one."""
    if has_second_factor(user):
        return True
    org_ids = set(user.memberships.values_list("unit__organisation_id", flat=True))
    policies = dict(
        OrganisationSignInPolicy.objects.filter(organisation_id__in=org_ids).values_list(
            "organisation_id", "require_second_factor"
        )
    )
    default = settings.STAFF_SECOND_FACTOR_DEFAULT
    if not org_ids:
        return default
    return any(policies.get(org_id, default) for org_id in org_ids)


# Authenticator app (TOTP) ----------------------------------------------------------------------


def totp_pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up (a fresh secret until the first code matches)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def totp_qr_data_uri(device: TOTPDevice) -> str:
    import segno

    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _clean_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> list[str]:
    """Confirm the app with its first code; returns new recovery codes when the user had none."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_clean_code(code)):
        raise FactorError("code_wrong")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit(action="signin.totp_added", obj=user, actor_user=user)
    return recovery_codes_issue_if_missing(user=user)


def totp_verify(*, user: User, code: str) -> bool:
    token = _clean_code(code)
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return True
    return False


@transaction.atomic
def totp_remove(*, user: User, actor: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit(action="signin.totp_removed", obj=user, actor_user=actor)


# Recovery codes --------------------------------------------------------------------------------


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones (shown once, stored for checking)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME)
    device.token_set.all().delete()
    codes = [
        f"{secrets.token_hex(2)}-{secrets.token_hex(2)}-{secrets.token_hex(2)}"
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    for code in codes:
        device.token_set.create(token=_clean_code(code))
    audit(action="signin.recovery_codes_issued", obj=user, actor_user=user)
    return codes


def recovery_codes_issue_if_missing(*, user: User) -> list[str]:
    return [] if recovery_codes_left(user) else recovery_codes_issue(user=user)


@transaction.atomic
def recovery_code_use(*, user: User, code: str) -> bool:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()
    if device is None or not device.verify_token(_clean_code(code)):  # deletes the used code
        return False
    audit(
        action="signin.recovery_code_used",
        obj=user,
        actor_user=user,
        left=recovery_codes_left(user),
    )
    return True


# Passkeys (WebAuthn) ---------------------------------------------------------------------------


def _rp(request: HttpRequest) -> tuple[str, str]:
    """(relying party id, expected origin). Fixed by settings in production; the request's host
    otherwise (the demo and the tests run on localhost)."""
    host = request.get_host().rsplit(":", 1)[0] if "]" not in request.get_host() else ""
    rp_id = settings.WEBAUTHN_RP_ID or host
    origin = settings.WEBAUTHN_ORIGIN or f"{request.scheme}://{request.get_host()}"
    return rp_id, origin


def _user_handle(user: User) -> bytes:
    return f"vc-user-{user.pk}".encode()


def passkey_registration_options(request: HttpRequest, user: User) -> str:
    rp_id, _ = _rp(request)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=settings.BRAND_NAME,
        user_name=user.get_username(),
        user_id=_user_handle(user),
        user_display_name=user.get_full_name() or user.get_username(),
        authenticator_selection=Selection(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=bytes(c.credential_id))
            for c in WebAuthnCredential.objects.filter(user=user)
        ],
    )
    request.session[CHALLENGE_KEY] = base64.b64encode(options.challenge).decode()
    return options_to_json(options).replace("<", "\\u003c")  # safe inside <script>


def _take_challenge(request: HttpRequest) -> bytes:
    raw = request.session.pop(CHALLENGE_KEY, None)
    if not raw:
        raise FactorError("challenge_missing")
    return base64.b64decode(raw)


def _parse(credential_json: str) -> dict[str, Any]:
    try:
        data = json.loads(credential_json or "")
    except ValueError as exc:
        raise FactorError("response_invalid") from exc
    if not isinstance(data, dict) or len(credential_json) > 20_000:
        raise FactorError("response_invalid")
    return data


@transaction.atomic
def passkey_register(
    *, request: HttpRequest, user: User, name: str, credential_json: str
) -> list[str]:
    """Register the browser's new passkey; returns new recovery codes when the user had none
    (shown once, like after setting up the app)."""
    rp_id, origin = _rp(request)
    challenge = _take_challenge(request)
    try:
        verified = verify_registration_response(
            credential=_parse(credential_json),
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise FactorError("response_invalid") from exc
    if WebAuthnCredential.objects.filter(credential_id=verified.credential_id).exists():
        raise FactorError("already_registered")
    credential = WebAuthnCredential.objects.create(
        user=user,
        name=(name or "").strip()[:80] or "Passkey",
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
    )
    audit(action="signin.passkey_added", obj=user, actor_user=user, passkey=credential.pk)
    return recovery_codes_issue_if_missing(user=user)


def passkey_authentication_options(request: HttpRequest, user: User) -> str:
    rp_id, _ = _rp(request)
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=bytes(c.credential_id))
            for c in WebAuthnCredential.objects.filter(user=user)
        ],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[CHALLENGE_KEY] = base64.b64encode(options.challenge).decode()
    return options_to_json(options).replace("<", "\\u003c")  # safe inside <script>


@transaction.atomic
def passkey_verify(*, request: HttpRequest, user: User, credential_json: str) -> bool:
    rp_id, origin = _rp(request)
    try:
        challenge = _take_challenge(request)
        data = _parse(credential_json)
        raw_id = base64.urlsafe_b64decode(str(data.get("rawId", "")) + "==")
    except (FactorError, ValueError):
        return False
    stored = (
        WebAuthnCredential.objects.select_for_update()
        .filter(user=user, credential_id=raw_id)
        .first()
    )
    if stored is None:
        return False
    try:
        verified = verify_authentication_response(
            credential=data,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=bytes(stored.public_key),
            credential_current_sign_count=stored.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return False
    stored.sign_count = verified.new_sign_count
    stored.last_used_at = timezone.now()
    stored.save(update_fields=["sign_count", "last_used_at"])
    return True


@transaction.atomic
def passkey_remove(*, user: User, passkey_id: int) -> bool:
    deleted, _ = WebAuthnCredential.objects.filter(user=user, pk=passkey_id).delete()
    if deleted:
        audit(action="signin.passkey_removed", obj=user, actor_user=user, passkey=passkey_id)
    return bool(deleted)


@transaction.atomic
def factors_reset(*, user: User, by: User) -> int:
    """An administrator removes all of a user's second factors (lost phone and codes)."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += WebAuthnCredential.objects.filter(user=user).delete()[0]
    StaticDevice.objects.filter(user=user).delete()
    audit(action="signin.factors_reset", obj=user, actor_user=by, removed=removed)
    return removed
