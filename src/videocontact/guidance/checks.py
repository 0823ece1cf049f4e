"""The device and network check: its strings, and short-lived TURN credentials for the test.

TURN credentials go only to a browser that opened an invitation link (a bound participant, or
a link that is not open yet), so the check page cannot be used as an open relay by anyone."""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from videocontact.rooms.ice import turn_credentials
from videocontact.visits.selectors import SESSION_KEY

PRECHECK_KEY = "vc_precheck_until"
ISSUED_KEY = "vc_check_turn_issued"
CHECK_TURN_TTL = 300  # seconds: enough for one test
CHECK_TURN_PER_HOUR = 20  # a resident who retries the test often still fits; a relay abuser not


def grant_precheck(session: Any, *, now: float | None = None) -> None:
    """A link that is not open yet may already run the connection test."""
    session[PRECHECK_KEY] = int((now or time.time()) + settings.SESSION_COOKIE_AGE)


def may_test_turn(session: Any, *, now: float | None = None) -> bool:
    if session.get(SESSION_KEY):
        return True
    until = session.get(PRECHECK_KEY)
    return isinstance(until, int) and until > (now or time.time())


def turn_issue_allowed(session: Any, *, now: float) -> int:
    """Record one issue of test credentials for this browser session. Returns 0 when allowed,
    else the seconds until the next one is (the session lives in the database, so the limit
    holds across workers)."""
    recent = [t for t in session.get(ISSUED_KEY, []) if isinstance(t, int) and t > now - 3600]
    if len(recent) >= CHECK_TURN_PER_HOUR:
        return max(1, int(min(recent) + 3600 - now))
    session[ISSUED_KEY] = [*recent, int(now)]
    return 0


def turn_payload(*, now: float) -> dict[str, Any]:
    if not (settings.TURN_URLS and settings.TURN_SECRET):
        return {"configured": False, "iceServers": [], "iceTransportPolicy": "relay"}
    creds = turn_credentials(
        "check-" + secrets.token_hex(8), secret=settings.TURN_SECRET, ttl=CHECK_TURN_TTL, now=now
    )
    return {
        "configured": True,
        "iceServers": [{"urls": list(settings.TURN_URLS), **creds}],
        "iceTransportPolicy": "relay",
    }


def check_strings() -> dict[str, str]:
    return {
        "ready": _("Your camera and microphone work. You can continue."),
        "denied": _(
            "You did not allow the camera or microphone. Tap the lock icon next to the web address, allow them, and reload the page."
        ),
        "noDevice": _(
            "We found no camera or microphone. You can still continue; the caseworker can help you."
        ),
        "camera": _("Camera"),
        "insecure": _("This page needs a secure connection (https) to use the camera."),
    }


def device_check_strings() -> dict[str, str]:
    return {
        **check_strings(),
        "cameraDenied": _(
            "Your camera does not work. Give the browser permission: tap the lock icon next "
            "to the web address, allow the camera and microphone, and reload the page."
        ),
        "cameraMissing": _(
            "We found no camera. You can still take part with sound only. Or use another "
            "phone, tablet or computer with a camera."
        ),
        "cameraBusy": _(
            "Your camera is being used by another app. Close that app (for example a video "
            "call app) and reload this page."
        ),
        "micSilent": _(
            "We do not hear anything yet. Say something. Is the bar still empty? Check that "
            "your microphone is not switched off."
        ),
        "micOk": _("Your microphone works."),
        "soundPlaying": _("You hear a beep now."),
        "soundOk": _("Good: your sound works."),
        "soundNo": _(
            "Turn up the volume of your phone or computer. Is the sound off, or are "
            "headphones connected? Then try again."
        ),
        "soundFailed": _("The test sound could not be played. Try again."),
        "netTesting": _("We are testing the connection…"),
        "netOk": _("Your internet connection is suitable for the video call."),
        "netOkTime": _("Your internet connection is suitable for the video call ({ms} ms)."),
        "netFailed": _(
            "The connection test did not work. Your network may block video calls. Try "
            "another network, for example mobile internet instead of wifi. At work? Ask your "
            "IT department to allow video calls."
        ),
        "netNotConfigured": _(
            "This organisation has no separate connection server. The connection is tested "
            "when the call starts."
        ),
        "netNoLink": _(
            "Open the link from your invitation first. Then we can test the connection."
        ),
        "netUnsupported": _(
            "Your browser cannot make video calls. Use a recent version of Chrome, Edge, "
            "Firefox or Safari."
        ),
    }


def check_config(request: HttpRequest) -> dict[str, Any]:
    return {
        "strings": device_check_strings(),
        "turnUrl": reverse("guidance:check_turn"),
        "mayTestTurn": may_test_turn(request.session),
        "timeoutMs": 10_000,
    }
