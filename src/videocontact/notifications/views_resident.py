"""The resident's code step (two-channel join), called from portal.views_resident.code."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation

from videocontact.notifications import selectors, services
from videocontact.notifications.phone import mask_mobile
from videocontact.visits.errors import InvitationError
from videocontact.visits.models import Participant

CODE_LENGTH = 6


def _context(participant: Participant, **extra: Any) -> dict[str, Any]:
    contact = selectors.contact_for(participant)
    status = selectors.code_status(participant) or {}
    return {
        "participant": participant,
        "organisation": participant.visit.organisation,
        "masked_mobile": mask_mobile(contact.mobile) if contact and contact.mobile else "",
        "state": status.get("state", "not_requested"),
        "ttl_minutes": settings.SMS_CODE_TTL_MINUTES,
        "step": 1,
        **extra,
    }


def code_step(request: HttpRequest, participant: Participant) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "resend":
        return _request_code(request, participant, resent=True)
    if request.method == "POST":
        return _verify(request, participant)
    latest = selectors.latest_code(participant)
    if latest is None or latest.verified_at is not None:
        # First visit, or the last code was used up (in another browser): send one straight away.
        return _request_code(request, participant, resent=False)
    return render(request, "resident/code.html", _context(participant))


def _request_code(request: HttpRequest, participant: Participant, *, resent: bool) -> HttpResponse:
    try:
        services.code_request(participant=participant)
    except services.NoAddress:
        return render(request, "resident/code.html", _context(participant, no_mobile=True))
    except services.CodeThrottled as exc:
        return render(
            request,
            "resident/code.html",
            _context(participant, wait_seconds=exc.wait_seconds),
            status=429,
        )
    return render(
        request, "resident/code.html", _context(participant, just_sent=True, resent=resent)
    )


def _verify(request: HttpRequest, participant: Participant) -> HttpResponse:
    raw = request.POST.get("code", "")
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) != CODE_LENGTH or len(raw.strip()) > 20:
        return render(
            request, "resident/code.html", _context(participant, error="format"), status=400
        )
    result = services.code_verify(participant=participant, code=digits)
    if not result.ok:
        return render(
            request,
            "resident/code.html",
            _context(participant, error=result.reason, attempts_left=result.attempts_left),
            status=400,
        )
    passed = dict(request.session.get(selectors.CODE_SESSION_KEY) or {})
    passed[str(participant.visit_id)] = str(participant.id)
    request.session.cycle_key()  # a fresh session id at the moment of privilege change
    request.session[selectors.CODE_SESSION_KEY] = passed
    return redirect("resident:entry", visit_id=participant.visit_id)


def link_problem(request: HttpRequest, exc: InvitationError, *, status: int) -> HttpResponse:
    """A link outside its window (or revoked, or of a closed visit): when it opens, or that it
    has expired and whom to call, in the resident's language (the visit's, unless they chose)."""
    visit = exc.visit
    context: dict[str, Any] = {"reason": exc.reason, "opens_at": exc.opens_at}
    if visit is None:
        return render(request, "resident/link_problem.html", context, status=status)
    request.organisation = visit.organisation  # type: ignore[attr-defined]
    context.update({"organisation": visit.organisation, "scheduled_at": visit.scheduled_at})
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or visit.resident_language
    if language not in settings.RESIDENT_UI_LANGUAGES:
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        response = render(request, "resident/link_problem.html", context, status=status)
    return response
