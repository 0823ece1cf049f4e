"""Who is calling: an API client with a bearer secret or a ZGW-style JWT; scopes; rate limits."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import jwt
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request

from videocontact.api import credentials
from videocontact.api.models import ApiClient, CredentialKind, RateWindow

JWT_LEEWAY_SECONDS = 300


class ClientPrincipal:
    """request.user for an API call (never a staff user: no session, no CSRF)."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def __str__(self) -> str:
        return self.client.client_id


def _active_client(client_id: str, kind: str) -> ApiClient:
    client = ApiClient.objects.filter(client_id=client_id, kind=kind, is_active=True).first()
    if client is None:
        raise exceptions.AuthenticationFailed("Unknown or inactive client.")
    return client


def _from_jwt(token: str) -> ApiClient:
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise exceptions.AuthenticationFailed(
            "The token is neither a client secret nor a JWT."
        ) from exc
    client_id = claims.get("client_id") or claims.get("iss")
    if header.get("alg") != "HS256" or not isinstance(client_id, str) or not client_id:
        raise exceptions.AuthenticationFailed("The JWT needs alg HS256 and a client_id claim.")
    client = _active_client(client_id, CredentialKind.JWT)
    secret = credentials.jwt_secret(client)
    if secret is None:
        raise exceptions.AuthenticationFailed("The client has no JWT secret.")
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"require": ["iat"], "verify_aud": False},
            leeway=JWT_LEEWAY_SECONDS,
        )
    except jwt.PyJWTError as exc:
        raise exceptions.AuthenticationFailed("The JWT signature or claims are not valid.") from exc
    iat = claims.get("iat")
    max_age = settings.API_JWT_MAX_AGE_SECONDS
    if not isinstance(iat, int | float) or not (
        time.time() - max_age - JWT_LEEWAY_SECONDS <= iat <= time.time() + JWT_LEEWAY_SECONDS
    ):
        raise exceptions.AuthenticationFailed("The JWT is too old or from the future (iat).")
    return client


class ClientAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer ovc.<client id>.<secret>` or `Authorization: Bearer <JWT>`."""

    def authenticate(self, request: Request) -> tuple[ClientPrincipal, None] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 4096:
            raise exceptions.AuthenticationFailed("Use 'Authorization: Bearer <credential>'.")
        parts = credentials.split_token(token)
        if parts is not None:
            client = _active_client(parts[0], CredentialKind.SECRET)
            if not credentials.secret_matches(client, parts[1]):
                raise exceptions.AuthenticationFailed("Unknown or inactive client.")
        else:
            client = _from_jwt(token)
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at > timedelta(minutes=1):
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return ClientPrincipal(client), None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ClientAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ClientAuthentication
    name = "clientCredential"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A client secret `ovc.<client id>.<secret>`, or a JWT signed with HS256 by a "
                "client with a JWT credential (claims `client_id` or `iss`, and `iat`)."
            ),
        }


def client_of(request: Request) -> ApiClient:
    principal = request.user
    if not isinstance(principal, ClientPrincipal):
        raise exceptions.NotAuthenticated()
    return principal.client


class HasScope(permissions.BasePermission):
    """The view names its scope in `required_scope` (a tuple: any one of them will do)."""

    message = "The client lacks the scope this call needs."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not isinstance(request.user, ClientPrincipal):
            raise exceptions.NotAuthenticated()
        scope = getattr(view, "required_scope", None)
        wanted = (scope,) if isinstance(scope, str) else tuple(scope or ())
        if not wanted or any(request.user.client.has_scope(s) for s in wanted):
            return True
        self.message = "The client lacks the scope this call needs: " + " or ".join(wanted) + "."
        return False


def _now() -> datetime:
    return timezone.now()  # a seam for the tests' clock


class ClientRateThrottle(throttling.BaseThrottle):
    """Per client, per minute, counted in the database (shared by every worker)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if not isinstance(request.user, ClientPrincipal):
            return True
        client = request.user.client
        now = _now()
        minute = now.replace(second=0, microsecond=0)
        self.wait_seconds = 60 - now.second
        with transaction.atomic():
            updated = RateWindow.objects.filter(client=client, minute=minute).update(
                count=F("count") + 1
            )
            if not updated:
                # A new minute: the client's older windows are of no use any more.
                RateWindow.objects.filter(client=client, minute__lt=minute).delete()
                try:
                    with transaction.atomic():
                        RateWindow.objects.create(client=client, minute=minute, count=1)
                except IntegrityError:
                    RateWindow.objects.filter(client=client, minute=minute).update(
                        count=F("count") + 1
                    )
            count = RateWindow.objects.get(client=client, minute=minute).count
        return count <= client.rate_limit_per_minute

    def wait(self) -> float | None:
        return float(getattr(self, "wait_seconds", 60))
