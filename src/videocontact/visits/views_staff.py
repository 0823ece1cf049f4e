"""Caseworker pages: dashboard, plan a visit, the visit with its link and QR code, the call."""

from __future__ import annotations

import uuid

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from videocontact.accounts.models import User
from videocontact.accounts.selectors import processes_for_user
from videocontact.notifications import services as notify_services
from videocontact.visits import services
from videocontact.visits.call_config import call_config
from videocontact.visits.forms import VisitCreateForm
from videocontact.visits.models import ParticipantRole, Visit
from videocontact.visits.selectors import visit_for_staff, visits_for_staff

FRESH_LINK_KEY = "vc_fresh_link"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _visit_or_404(request: HttpRequest, visit_id: uuid.UUID) -> Visit:
    visit = visit_for_staff(_user(request), visit_id)
    if visit is None:
        raise Http404("no such visit")
    request.organisation = visit.organisation  # type: ignore[attr-defined]
    return visit


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    visits = visits_for_staff(_user(request))[:50]
    return render(request, "staff/dashboard.html", {"visits": visits})


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    processes = processes_for_user(_user(request))
    form = VisitCreateForm(request.POST or None, processes=processes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit, issued = services.visit_create(
            process=data["process"],
            caseworker=_user(request),
            resident_name=data["resident_name"],
            resident_language=data["resident_language"],
            scheduled_at=data["scheduled_at"],
            case_reference=data["case_reference"],
        )
        if data["email"] or data["mobile"]:
            notify_services.contact_save(
                participant=issued.invitation.participant,
                email=data["email"],
                mobile=data["mobile"],
                language=data["resident_language"],
                by_user=_user(request),
                send_invitation=True,
            )
        _remember_link(request, visit, issued.token)
        return redirect("staff:visit", visit_id=visit.id)
    return render(
        request, "staff/visit_new.html", {"form": form, "has_processes": processes.exists()}
    )


def _remember_link(request: HttpRequest, visit: Visit, token: str) -> None:
    """The raw link exists only until the caseworker has seen it once (it is stored hashed)."""
    request.session[FRESH_LINK_KEY] = {"visit": str(visit.id), "token": token}


def _pop_link(request: HttpRequest, visit: Visit) -> str | None:
    fresh = request.session.get(FRESH_LINK_KEY)
    if not fresh or fresh.get("visit") != str(visit.id):
        return None
    del request.session[FRESH_LINK_KEY]
    path = reverse("resident:join", kwargs={"token": fresh["token"]})
    # In production the public address is configured, not taken from the request's Host header.
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


@login_required
def visit_detail(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = _visit_or_404(request, visit_id)
    link = _pop_link(request, visit)
    qr_svg = (
        segno.make(link, error="m").svg_inline(scale=5, border=2, omitsize=True) if link else None
    )
    resident = visit.participants.filter(role=ParticipantRole.RESIDENT).first()
    # The newest link that still works (each e-mail or SMS carries a link of its own, and the
    # link of a message that could not be sent is revoked); else the newest one.
    invitation = (
        (
            resident.invitations.filter(revoked_at__isnull=True).first()
            or resident.invitations.first()
        )
        if resident
        else None
    )
    return render(
        request,
        "staff/visit_detail.html",
        {
            "visit": visit,
            "link": link,
            "qr_svg": qr_svg,
            "resident": resident,
            "invitation": invitation,
            "participants": visit.participants.all(),
        },
    )


@login_required
@require_POST
def invitation_renew(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = _visit_or_404(request, visit_id)
    resident = visit.participants.filter(role=ParticipantRole.RESIDENT).first()
    if resident is None or not visit.is_open:
        raise Http404("no open visit with a resident")
    issued = services.invitation_issue(participant=resident, by_user=_user(request))
    _remember_link(request, visit, issued.token)
    return redirect("staff:visit", visit_id=visit.id)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = _visit_or_404(request, visit_id)
    for participant in visit.participants.filter(user__isnull=True):
        for invitation in participant.invitations.filter(revoked_at__isnull=True):
            services.invitation_revoke(invitation=invitation, by_user=_user(request))
    return redirect("staff:visit", visit_id=visit.id)


@login_required
@require_POST
def visit_end(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = _visit_or_404(request, visit_id)
    services.visit_end(visit=visit, by_user=_user(request))
    return redirect("staff:visit", visit_id=visit.id)


@login_required
def visit_call(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = _visit_or_404(request, visit_id)
    if not visit.is_open:
        return redirect("staff:visit", visit_id=visit.id)
    participant = services.staff_participant_get_or_create(visit=visit, user=_user(request))
    return render(
        request,
        "call/call.html",
        {
            "visit": visit,
            "participant": participant,
            "is_staff": True,
            "config": call_config(visit, participant, is_staff=True),
            "title": _("Call with %(name)s") % {"name": visit.resident_name},
        },
    )
