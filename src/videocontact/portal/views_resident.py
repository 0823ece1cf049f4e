"""Resident pages: link → consent → device check → waiting room and call. Mobile first."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods

from videocontact.checks.call_config import allow_geolocation
from videocontact.guidance.checks import check_config, grant_precheck
from videocontact.notifications import views_resident as notify_views
from videocontact.portal.call_config import call_config
from videocontact.visits import services
from videocontact.visits.access import Stage, resident_access, steps_passed
from videocontact.visits.devices import device_bind
from videocontact.visits.errors import InvitationError
from videocontact.visits.models import Participant, ParticipantRole, ParticipantState
from videocontact.visits.session import (
    bind_participant,
    recall_link_problem,
    remember_link_problem,
    session_device,
)

LINK_PROBLEM_STATUS = {
    "unknown": 404,
    "revoked": 410,
    "expired": 410,
    "closed": 410,
    "not_yet_valid": 200,
}


def _ui_language(code: str) -> str:
    return code if code in settings.RESIDENT_UI_LANGUAGES else settings.LANGUAGE_CODE


def join(request: HttpRequest, token: str) -> HttpResponse:
    """The only URL with the token: every answer is a redirect, so the token never appears in
    a page's address (nor in the Referer of its sub-resources), and no 4xx warning logs it."""
    try:
        participant = services.invitation_redeem(token=token)
    except InvitationError as exc:
        if exc.reason == "not_yet_valid":
            grant_precheck(request.session)  # the device and network check may run already
        remember_link_problem(request.session, exc)
        response = redirect("resident:link_problem")
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
    bind_participant(request.session, participant)
    response = redirect("resident:entry", visit_id=participant.visit_id)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            _ui_language(participant.ui_language),
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite="Lax",
            max_age=settings.SESSION_COOKIE_AGE,
        )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def link_problem(request: HttpRequest) -> HttpResponse:
    """Why the link just opened does not work (kept in the session by join)."""
    exc = recall_link_problem(request.session)
    if exc is None:
        return render(request, "resident/link_problem.html", {"reason": "session"}, status=403)
    return notify_views.link_problem(request, exc, status=LINK_PROBLEM_STATUS[exc.reason])


ResidentView = Callable[..., HttpResponse]


def _resident_view(view: ResidentView, *, stage: Stage) -> ResidentView:
    """A page of a participant bound to this browser (by the link), through the access gate."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, visit_id: uuid.UUID, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        access = resident_access(request.session, visit_id, stage=stage)
        participant = access.participant
        if participant is None:
            return render(request, "resident/link_problem.html", {"reason": "session"}, status=403)
        request.organisation = participant.visit.organisation  # type: ignore[attr-defined]
        if access.problem == "ended":
            return render(request, "resident/ended.html", {"participant": participant})
        if access.problem == "removed":
            return render(
                request,
                "resident/removed.html",
                {"participant": participant, "organisation": participant.visit.organisation},
                status=410,
            )
        if access.problem == "code":
            # Two-channel join: the code sent by SMS comes before anything else, consent
            # included, so a link alone can neither consent, decline nor join in someone's name.
            return redirect("resident:code", visit_id=participant.visit_id)
        if access.problem == "consent":
            return redirect("resident:entry", visit_id=participant.visit_id)
        return view(request, participant, *args, **kwargs)

    return wrapper


def resident_required(view: ResidentView) -> ResidentView:
    """A page that needs the registered steps (the SMS code) passed; consent may be pending."""
    return _resident_view(view, stage=Stage.VERIFIED)


def resident_consented(view: ResidentView) -> ResidentView:
    """A page of the call itself: the participant consented."""
    return _resident_view(view, stage=Stage.CONSENTED)


def resident_before_code(view: ResidentView) -> ResidentView:
    """The code step itself: a bound participant who has not entered the SMS code yet."""
    return _resident_view(view, stage=Stage.BOUND)


@resident_required
def entry(request: HttpRequest, participant: Participant) -> HttpResponse:
    # Past the link and the code: the first browser here owns the link from now on.
    device_bind(participant=participant, device=session_device(request.session))
    if participant.state == ParticipantState.INVITED:
        return redirect("resident:consent", visit_id=participant.visit_id)
    if participant.state == ParticipantState.DECLINED:
        return redirect("resident:declined", visit_id=participant.visit_id)
    return redirect("resident:call", visit_id=participant.visit_id)


@resident_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, participant: Participant) -> HttpResponse:
    if request.method == "POST":
        choice = request.POST.get("decision")
        if choice not in ("accept", "decline"):
            return render(
                request,
                _consent_template(participant),
                _consent_context(participant, True),
                status=400,
            )
        services.consent_record(
            participant=participant,
            accepted=choice == "accept",
            language=translation.get_language() or "nl",
        )
        target = "resident:check" if choice == "accept" else "resident:declined"
        return redirect(target, visit_id=participant.visit_id)
    return render(request, _consent_template(participant), _consent_context(participant, False))


def _consent_template(participant: Participant) -> str:
    """Guests consent to taking part, with a text for their role; the resident to the visit."""
    if participant.role in (ParticipantRole.INTERPRETER, ParticipantRole.FAMILY):
        return "resident/consent_guest.html"
    return "resident/consent.html"


def _consent_context(participant: Participant, missing_choice: bool) -> dict[str, Any]:
    process = participant.visit.process
    return {
        "participant": participant,
        "visit": participant.visit,
        "process": process,
        "organisation": process.unit.organisation,
        "retention_days": process.retention_days,
        "missing_choice": missing_choice,
        "step": 1,
    }


@resident_required
def declined(request: HttpRequest, participant: Participant) -> HttpResponse:
    return render(
        request,
        "resident/declined.html",
        {"participant": participant, "organisation": participant.visit.organisation},
    )


@resident_before_code
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest, participant: Participant) -> HttpResponse:
    """Two-channel join: the 6-digit code sent by SMS (notifications app), before consent."""
    if steps_passed(request.session, participant) is None:
        return redirect("resident:entry", visit_id=participant.visit_id)
    return notify_views.code_step(request, participant)


@resident_consented
def check(request: HttpRequest, participant: Participant) -> HttpResponse:
    return render(
        request,
        "resident/check.html",
        {
            "participant": participant,
            "step": 2,
            "next_url": reverse("resident:call", kwargs={"visit_id": participant.visit_id}),
            "check_config": check_config(request),
        },
    )


@resident_consented
def call(request: HttpRequest, participant: Participant) -> HttpResponse:
    response = render(
        request,
        "call/call.html",
        {
            "participant": participant,
            "visit": participant.visit,
            "is_staff": False,
            "step": 3,
            "config": call_config(participant.visit, participant, is_staff=False),
        },
    )
    return allow_geolocation(response, participant.visit, participant)
