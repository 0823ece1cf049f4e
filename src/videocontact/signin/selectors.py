from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from videocontact.accounts.models import User
from videocontact.signin.models import SignInMethod, SsoIdentity, StaffSession, WebAuthnCredential
from videocontact.signin.sessions import describe_user_agent


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def passkeys(user: User) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=user).order_by("created_at")


def is_sso_user(user: User) -> bool:
    return SsoIdentity.objects.filter(user=user).exists()


def signed_in_with_sso(session_key: str | None) -> bool:
    """Did this browser's session start at the organisation's provider?"""
    if not session_key:
        return False
    return StaffSession.objects.filter(session_key=session_key, method=SignInMethod.OIDC).exists()


@dataclass
class SessionRow:
    id: int
    browser: str
    system: str
    method: str
    ip_prefix: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


def session_rows(user: User, *, current_key: str | None) -> list[SessionRow]:
    rows = []
    for record in StaffSession.objects.filter(user=user).order_by("-last_seen_at"):
        browser, system = describe_user_agent(record.user_agent)
        rows.append(
            SessionRow(
                id=record.pk,
                browser=browser,
                system=system,
                method=record.get_method_display(),
                ip_prefix=record.ip_prefix,
                created_at=record.created_at,
                last_seen_at=record.last_seen_at,
                current=record.session_key == current_key,
            )
        )
    rows.sort(key=lambda row: not row.current)
    return rows
