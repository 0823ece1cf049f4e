"""Caseworker actions of the notifications panel on the visit page (POST only, then back)."""

from __future__ import annotations

import hmac
import json
import uuid

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from videocontact.notifications import selectors, services
from videocontact.notifications.forms import ContactForm, RescheduleForm, SendForm
from videocontact.visits import services as visit_services
from videocontact.visits.errors import NotAllowed
from videocontact.visits.models import Participant, Visit
from videocontact.visits.staff_access import staff_user, staff_visit_or_404

PANEL_FORMS_KEY = "vc_notify_form_errors"


def _participant(visit: Visit, participant_id: uuid.UUID) -> Participant:
    participant = selectors.invited_participant(visit, participant_id)
    if participant is None:
        raise Http404("no such participant")
    return participant


def _back(visit: Visit) -> HttpResponse:
    response = redirect("staff:visit", visit_id=visit.id)
    response["Location"] += "#notifications-title"
    return response


def _keep_errors(request: HttpRequest, key: str, form: object) -> None:
    """Show the form's errors (and what was typed) on the visit page after the redirect."""
    stored = request.session.get(PANEL_FORMS_KEY) or {}
    stored[key] = {"data": dict(form.data.items()), "errors": form.errors.get_json_data()}  # type: ignore[attr-defined]
    request.session[PANEL_FORMS_KEY] = stored


@login_required
@require_POST
def contact_edit(
    request: HttpRequest, visit_id: uuid.UUID, participant_id: uuid.UUID
) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    participant = _participant(visit, participant_id)
    form = ContactForm(request.POST)
    if not form.is_valid():
        _keep_errors(request, f"contact-{participant.id}", form)
        return _back(visit)
    services.contact_save(
        participant=participant,
        email=form.cleaned_data["email"],
        mobile=form.cleaned_data["mobile"],
        language=form.cleaned_data["language"],
        by_user=staff_user(request),
    )
    flash.success(request, _("The contact details are saved."))
    return _back(visit)


@login_required
@require_POST
def invitation_send(
    request: HttpRequest, visit_id: uuid.UUID, participant_id: uuid.UUID
) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    participant = _participant(visit, participant_id)
    form = SendForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Choose e-mail or text message."))
        return _back(visit)
    try:
        services.invitation_send(
            participant=participant,
            channels=[form.cleaned_data["channel"]],
            by_user=staff_user(request),
        )
    except services.NoAddress:
        flash.error(request, _("There is no address for this. Fill in the contact details first."))
    except services.NotificationError:
        flash.error(request, _("This visit is closed. No invitation was sent."))
    else:
        flash.success(request, _("The invitation is being sent. You see the status below."))
    return _back(visit)


@login_required
@require_POST
def message_resend(request: HttpRequest, visit_id: uuid.UUID, message_id: int) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    message = selectors.message_of_visit(visit, message_id)
    if message is None:
        raise Http404("no such message")
    try:
        services.message_resend(message=message, by_user=staff_user(request))
    except services.NotificationError:
        flash.error(request, _("This message cannot be sent again."))
    else:
        flash.success(request, _("The message is being sent again."))
    return _back(visit)


@login_required
@require_POST
def visit_reschedule(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        _keep_errors(request, "move", form)
        return _back(visit)
    try:
        visit_services.visit_reschedule(
            visit=visit, scheduled_at=form.cleaned_data["scheduled_at"], by_user=staff_user(request)
        )
    except NotAllowed:
        flash.error(request, _("Only a planned visit that has not started can be moved."))
    else:
        flash.success(
            request, _("The visit has a new time. Everyone with contact details gets a message.")
        )
    return _back(visit)


@login_required
@require_POST
def visit_cancel(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    if request.POST.get("confirm") != "yes":
        flash.error(request, _("Tick the box to confirm that you want to cancel the visit."))
        return _back(visit)
    visit_services.visit_cancel(visit=visit, by_user=staff_user(request))
    flash.success(request, _("The visit is cancelled. Everyone who was invited gets a message."))
    return _back(visit)


MAX_REPORT_BYTES = 256 * 1024


@csrf_exempt
@require_POST
def cm_status_report(request: HttpRequest, secret: str) -> HttpResponse:
    """CM.com's status report webhook (JSON format). CM does not sign its reports, so the URL
    holds a long random secret (CM_STATUS_REPORT_SECRET); without it configured: 404."""
    expected = settings.CM_STATUS_REPORT_SECRET
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        raise Http404("no such page")
    if len(request.body) > MAX_REPORT_BYTES:
        return JsonResponse({"error": "too large"}, status=413)
    try:
        data = json.loads(request.body)
        reports = data["messages"]["msg"]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "expected {messages: {msg: …}}"}, status=400)
    if isinstance(reports, dict):
        reports = [reports]
    if not isinstance(reports, list):
        return JsonResponse({"error": "msg must be an object or a list"}, status=400)
    known = 0
    for report in reports:
        if not isinstance(report, dict) or not isinstance(report.get("status"), dict):
            return JsonResponse({"error": "every msg needs reference and status"}, status=400)
        reference = str(report.get("reference") or "")[:64]
        status = report["status"]
        known += services.delivery_report(
            reference=reference,
            status_code=str(status.get("code", "")),
            reason=str(status.get("errorDescription") or "")[:200],
        )
    # Unknown references are answered 200 too: CM would otherwise retry them for days.
    return JsonResponse({"received": len(reports), "known": known})
