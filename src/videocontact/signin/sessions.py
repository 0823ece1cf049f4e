"""Staff sessions: the record behind 'My sessions', idle and absolute timeouts, ending them."""

from __future__ import annotations

import hashlib
import ipaddress
import time
from importlib import import_module
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from videocontact.privacy.audit import audit
from videocontact.signin.models import SignInMethod, StaffSession

STARTED_KEY = "signin_started"
SEEN_KEY = "signin_seen"
METHOD_KEY = "signin_method"
# Write "last seen" at most this often: a session save per request is needless database work.
SEEN_RESOLUTION_SECONDS = 60


def session_group(session_key: str) -> str:
    """The channel-layer group of one staff browser session's live sockets (the room joins
    it), so that ending the session also ends a call that browser has open."""
    return "staff-session-" + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def announce_ended(session_key: str | None) -> None:
    """After commit: close the live sockets of that session (`room.signed_out`)."""
    if not session_key:
        return

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(session_group(session_key), {"type": "room.signed_out"})

    transaction.on_commit(send)


def ip_prefix(address: str | None) -> str:
    """The network of an address (IPv4 /24, IPv6 /48): enough to recognise 'that is the office',
    not enough to identify a home connection."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "")


def session_store_delete(session_key: str) -> None:
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore(session_key=session_key).delete()


def session_start(*, request: HttpRequest, method: str) -> StaffSession:
    """Called right after login(): stamps the session and records it (the key is new by now)."""
    now = time.time()
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now
    request.session[METHOD_KEY] = method
    request.session.save()
    return _record(request, method=method)


def _record(request: HttpRequest, *, method: str) -> StaffSession:
    record, _ = StaffSession.objects.update_or_create(  # type: ignore[misc]
        session_key=request.session.session_key,
        defaults={
            "user": request.user,
            "method": method,
            "user_agent": str(request.META.get("HTTP_USER_AGENT", ""))[:300],
            "ip_prefix": ip_prefix(client_address(request)),
            "last_seen_at": timezone.now(),
        },
    )
    return record


def session_timed_out(session: Any, now: float | None = None) -> str:
    """ "idle" or "absolute" when a staff session has run out, else "". No side effects: the room
    socket asks this too, so a timed-out session cannot open a call either."""
    now = time.time() if now is None else now
    started = float(session.get(STARTED_KEY) or now)
    seen = float(session.get(SEEN_KEY) or now)
    if now - started > settings.STAFF_SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    if now - seen > settings.STAFF_SESSION_IDLE_SECONDS:
        return "idle"
    return ""


def session_touch(request: HttpRequest) -> bool:
    """Enforce the timeouts on a signed-in request. False when the session had run out (the
    user is signed out then and the request goes on as anonymous)."""
    session = request.session
    now = time.time()
    seen = float(session.get(SEEN_KEY) or now)
    reason = session_timed_out(session, now)
    if reason:
        user = request.user
        key = session.session_key
        with transaction.atomic():
            audit(
                action="signin.session_timed_out",
                obj=user,
                actor_user=user,
                reason=reason,
            )
            StaffSession.objects.filter(session_key=key).delete()
        logout(request)  # announces the end to the session's sockets (user_logged_out)
        return False
    if STARTED_KEY not in session or now - seen >= SEEN_RESOLUTION_SECONDS:
        session.setdefault(STARTED_KEY, now)
        session[SEEN_KEY] = now
        if session.session_key:
            _record(request, method=session.get(METHOD_KEY) or SignInMethod.PASSWORD)
    return True


@transaction.atomic
def session_end(*, user: object, session_id: int, current_key: str | None) -> str:
    """End one of the user's own sessions (never another user's); returns its key, or "" if
    there is none. The caller signs out itself when that was the current session."""
    record = StaffSession.objects.select_for_update().filter(user=user, pk=session_id).first()  # type: ignore[misc]
    if record is None:
        return ""
    key = record.session_key
    if key != current_key:
        session_store_delete(key)
        announce_ended(key)
    audit(
        action="signin.session_ended",
        obj=user,
        actor_user=user,
        ended_session=record.pk,
        own=record.session_key == current_key,
    )
    record.delete()
    return key


@transaction.atomic
def sessions_end_others(*, user: object, current_key: str | None) -> int:
    records = list(
        StaffSession.objects.select_for_update().filter(user=user).exclude(session_key=current_key)  # type: ignore[misc]
    )
    for record in records:
        session_store_delete(record.session_key)
        announce_ended(record.session_key)
        record.delete()
    audit(action="signin.sessions_ended_others", obj=user, actor_user=user, count=len(records))
    return len(records)


def session_forget(session_key: str | None) -> None:
    """On sign-out: the record goes with the session."""
    if session_key:
        StaffSession.objects.filter(session_key=session_key).delete()


def describe_user_agent(user_agent: str) -> tuple[str, str]:
    """(browser, system) in plain words, good enough to recognise one's own devices."""
    ua = user_agent or ""
    if "Edg/" in ua:
        browser = "Edge"
    elif "Firefox/" in ua:
        browser = "Firefox"
    elif "Chrome/" in ua or "Chromium/" in ua:
        browser = "Chrome"
    elif "Safari/" in ua:
        browser = "Safari"
    else:
        browser = ""
    for needle, system in (
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ):
        if needle in ua:
            return browser, system
    return browser, ""
