"""Single sign-on with the municipality's OpenID Connect provider (mozilla-django-oidc).

Users are matched by (issuer, subject), never by e-mail address; their memberships follow the
provider's groups claim through GroupRoleMapping at every sign-in."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from videocontact.accounts.models import Membership, User
from videocontact.privacy.audit import audit
from videocontact.signin.models import GroupRoleMapping, SsoIdentity

BACKEND_PATH = "videocontact.signin.oidc.StaffOIDCBackend"
ID_TOKEN_LEEWAY_SECONDS = 60  # clock skew between us and the provider


def groups_from_claims(claims: dict[str, Any]) -> list[str]:
    raw = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return sorted({str(group)[:200] for group in raw if isinstance(group, str | int)})[:500]


def mapped_roles(groups: list[str]) -> set[tuple[int, str]]:
    return set(GroupRoleMapping.objects.filter(group__in=groups).values_list("unit_id", "role"))


def check_id_token(payload: dict[str, Any], *, issuer: str, client_id: str, now: float) -> None:
    """The ID token checks of OIDC Core 3.1.3.7 that mozilla-django-oidc leaves out (it checks
    the signature and the nonce): issuer, audience, authorized party, expiry."""
    if issuer and payload.get("iss") != issuer:
        raise SuspiciousOperation("ID token from another issuer")
    audience = payload.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if client_id not in audiences:
        raise SuspiciousOperation("ID token for another client")
    if len(audiences) > 1 and payload.get("azp") != client_id:
        raise SuspiciousOperation("ID token for another authorized party")
    try:
        expires = float(payload["exp"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SuspiciousOperation("ID token without expiry") from exc
    if expires < now - ID_TOKEN_LEEWAY_SECONDS:
        raise SuspiciousOperation("ID token expired")


class StaffOIDCBackend(OIDCAuthenticationBackend):
    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        check_id_token(
            payload,
            issuer=settings.OIDC_OP_ISSUER,
            client_id=self.OIDC_RP_CLIENT_ID,
            now=time.time(),
        )
        return payload

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        # The groups may come in the ID token, the userinfo answer or both.
        userinfo = super().get_userinfo(access_token, id_token, payload)
        claims = {**payload, **userinfo}
        claims["iss"] = payload.get("iss") or settings.OIDC_OP_ISSUER
        claims["sub"] = payload.get("sub")
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """A subject is needed; and, unless configured otherwise, a group that gives a role:
        someone the municipality gave no role here has no business signing in."""
        if not claims.get("sub"):
            return False
        return not settings.OIDC_REQUIRE_MAPPED_GROUP or bool(
            mapped_roles(groups_from_claims(claims))
        )

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(
            sso_identity__issuer=str(claims["iss"]), sso_identity__subject=str(claims["sub"])
        )

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> User:
        user = User(username=self._free_username(claims))
        user.set_unusable_password()  # a single sign-on account never signs in with a password
        self._apply_profile(user, claims)
        user.save()
        SsoIdentity.objects.create(user=user, issuer=str(claims["iss"]), subject=str(claims["sub"]))
        audit(action="signin.sso_user_created", obj=user, issuer=str(claims["iss"])[:200])
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        self._apply_profile(user, claims)
        user.save()
        groups = groups_from_claims(claims)
        wanted = mapped_roles(groups)
        current = set(user.memberships.values_list("unit_id", "role"))
        for unit_id, role in wanted - current:
            Membership.objects.create(user=user, unit_id=unit_id, role=role)
        for unit_id, role in current - wanted:
            Membership.objects.filter(user=user, unit_id=unit_id, role=role).delete()
        if wanted != current:
            audit(
                action="signin.sso_roles_changed",
                obj=user,
                added=sorted(f"{u}:{r}" for u, r in wanted - current),
                removed=sorted(f"{u}:{r}" for u, r in current - wanted),
            )
        SsoIdentity.objects.filter(user=user).update(
            last_groups=groups, last_sign_in_at=timezone.now()
        )
        return user

    @staticmethod
    def _apply_profile(user: User, claims: dict[str, Any]) -> None:
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.email = str(claims.get("email") or user.email)[:254]

    @staticmethod
    def _free_username(claims: dict[str, Any]) -> str:
        wanted = str(claims.get("preferred_username") or claims.get("email") or "").strip()[:120]
        if wanted and not User.objects.filter(username=wanted).exists():
            return wanted
        # Never take over an existing local account with the same name.
        digest = hashlib.sha256(f"{claims['iss']}|{claims['sub']}".encode()).hexdigest()[:10]
        return f"{wanted or 'sso'}-{digest}"
