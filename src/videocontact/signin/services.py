"""Signing staff in: the password step, the second-factor step in between, completion."""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import login, user_login_failed
from django.db import transaction
from django.http import HttpRequest

from videocontact.accounts.models import User
from videocontact.privacy.audit import audit
from videocontact.signin import sessions

PENDING_KEY = "signin_pending"
PENDING_SECONDS = 600  # time to fetch the phone and type the code


def pending_start(*, request: HttpRequest, user: User, backend: str, next_url: str) -> None:
    """The password was right; the second factor is still to come. The user is NOT signed in
    yet (no staff page, no staff socket), only remembered in this browser's session."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": backend,
        "at": time.time(),
        "next": next_url,
    }


def pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending.get("user"), is_active=True).first()  # type: ignore[misc]


def pending_next(request: HttpRequest) -> str:
    pending = request.session.get(PENDING_KEY) or {}
    return str(pending.get("next") or "")


def second_step_allowed(request: HttpRequest, user: User) -> bool:
    """Codes are guessable too: wrong ones count towards the same lockout as passwords."""
    return AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


def second_step_failed(request: HttpRequest, user: User, kind: str) -> None:
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    with transaction.atomic():
        audit(action="signin.second_factor_failed", obj=user, kind=kind, **_where(request))


def complete(*, request: HttpRequest, user: User, method: str, backend: str | None = None) -> None:
    """Sign the user in for real: new session key, timeout stamps, session record, audit."""
    backend = backend or (request.session.get(PENDING_KEY) or {}).get("backend")
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=backend or settings.AUTHENTICATION_BACKENDS[-1])
    with transaction.atomic():
        sessions.session_start(request=request, method=method)
        audit(
            action="signin.succeeded", obj=user, actor_user=user, method=method, **_where(request)
        )


def _where(request: HttpRequest) -> dict[str, Any]:
    return {
        "ip_prefix": sessions.ip_prefix(sessions.client_address(request)),
        "path": request.path[:100],
    }


def locked_out(*, request: HttpRequest | None, username: str | None, failures: int) -> None:
    """Audit the moment an account or address gets locked (not every refused try after it)."""
    from axes.models import AccessAttempt

    user = User.objects.filter(username=username).first() if username else None
    obj: Any = user or AccessAttempt.objects.filter(username=username).order_by("-pk").first()
    if obj is None:
        return
    where = _where(request) if request is not None else {}
    with transaction.atomic():
        audit(
            action="signin.locked_out",
            obj=obj,
            username=(username or "")[:150],
            failures=failures,
            **where,
        )


@transaction.atomic
def lockout_reset(*, username: str, by: User) -> int:
    """An administrator lifts a lockout before it expires by itself."""
    from axes.utils import reset

    count = reset(username=username)
    user = User.objects.filter(username=username).first()
    audit(
        action="signin.lockout_reset",
        obj=user or by,
        actor_user=by,
        username=username[:150],
        attempts=count,
    )
    return count
