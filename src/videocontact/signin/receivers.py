"""Signal receivers: lockouts are audited; a signed-out session leaves 'My sessions'."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.dispatch import receiver

from videocontact.privacy.audit import audit
from videocontact.signin import services, sessions


@receiver(user_locked_out, dispatch_uid="signin-audit-lockout")
def audit_lockout(
    sender: Any, request: Any = None, username: str | None = None, **kwargs: Any
) -> None:
    failures = int(getattr(request, "axes_failures_since_start", 0) or 0)
    # Axes sends this on every refused try; the trail records when the lock started.
    if failures == settings.AXES_FAILURE_LIMIT:
        services.locked_out(request=request, username=username, failures=failures)


@receiver(user_logged_out, dispatch_uid="signin-forget-session")
def forget_session(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    sessions.session_forget(key)
    sessions.announce_ended(key)
    if user is not None and getattr(user, "pk", None):
        with transaction.atomic():
            audit(action="signin.signed_out", obj=user, actor_user=user)
