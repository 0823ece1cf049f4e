"""Caseworker pages: dashboard, plan a visit, the visit with its link and QR code, the call."""

from __future__ import annotations

import uuid

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from videocontact.accounts.selectors import processes_for_user
from videocontact.notifications import services as notify_services
from videocontact.portal.call_config import call_config
from videocontact.portal.forms import GuestForm, VisitCreateForm
from videocontact.visits import services
from videocontact.visits.errors import GuestError
from videocontact.visits.models import GUEST_ROLES, Participant, ParticipantRole, Visit
from videocontact.visits.selectors import (
    colleague_choices,
    expected_count,
    guests_for_visit,
    visits_as_colleague,
    visits_for_staff,
)
from videocontact.visits.staff_access import staff_user, staff_visit_or_404

FRESH_LINK_KEY = "vc_fresh_link"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    visits = visits_for_staff(staff_user(request))[:50]
    return render(
        request,
        "staff/dashboard.html",
        {"visits": visits, "colleague_visits": visits_as_colleague(staff_user(request))[:20]},
    )


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    processes = processes_for_user(staff_user(request))
    form = VisitCreateForm(request.POST or None, processes=processes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit, issued = services.visit_create(
            process=data["process"],
            caseworker=staff_user(request),
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
                by_user=staff_user(request),
                send_invitation=True,
            )
        _remember_link(request, visit, issued.token)
        return redirect("staff:visit", visit_id=visit.id)
    return render(
        request, "staff/visit_new.html", {"form": form, "has_processes": processes.exists()}
    )


def _remember_link(
    request: HttpRequest, visit: Visit, token: str, participant: Participant | None = None
) -> None:
    """The raw link exists only until the caseworker has seen it once (it is stored hashed)."""
    request.session[FRESH_LINK_KEY] = {
        "visit": str(visit.id),
        "token": token,
        "participant": str(participant.id) if participant else None,
    }


def _pop_link(request: HttpRequest, visit: Visit) -> tuple[str | None, str | None]:
    """The fresh link (once) and the id of the guest it is for (None: the resident's)."""
    fresh = request.session.get(FRESH_LINK_KEY)
    if not fresh or fresh.get("visit") != str(visit.id):
        return None, None
    del request.session[FRESH_LINK_KEY]
    path = reverse("resident:join", kwargs={"token": fresh["token"]})
    # In production the public address is configured, not taken from the request's Host header.
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL.rstrip("/") + path, fresh.get("participant")
    return request.build_absolute_uri(path), fresh.get("participant")


@login_required
def visit_detail(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    return _render_detail(request, visit, GuestForm(colleagues=colleague_choices(visit)))


def _render_detail(
    request: HttpRequest, visit: Visit, guest_form: GuestForm, status: int = 200
) -> HttpResponse:
    link, link_for = _pop_link(request, visit)
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
    guests = list(guests_for_visit(visit).prefetch_related("invitations"))
    return render(
        request,
        "staff/visit_detail.html",
        {
            "visit": visit,
            "link": link,
            "link_guest": next((g for g in guests if str(g.id) == link_for), None),
            "qr_svg": qr_svg,
            "resident": resident,
            "invitation": invitation,
            "participants": visit.participants.filter(removed_at__isnull=True),
            "guests": guests,
            "guest_form": guest_form,
            "expected": expected_count(visit),
            "max_participants": settings.VISIT_MAX_PARTICIPANTS,
        },
        status=status,
    )


# Lazy: built at import, translated in the language of each request.
GUEST_ERRORS = {
    "closed": gettext_lazy("The visit has ended: you cannot add guests any more."),
    "too_many": gettext_lazy("This visit has the maximum number of guests. Remove a guest first."),
    "colleague": gettext_lazy("This colleague cannot take part in this visit."),
    "name": gettext_lazy("Enter the name of the guest."),
    "role": gettext_lazy("Choose a role for the guest."),
    "language": gettext_lazy("Choose a language."),
}


@login_required
@require_POST
def guest_add(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    form = GuestForm(request.POST, colleagues=colleague_choices(visit))
    if not form.is_valid():
        return _render_detail(request, visit, form, status=400)
    data = form.cleaned_data
    try:
        if data["role"] == ParticipantRole.COLLEAGUE:
            colleague = services.colleague_add(
                visit=visit, by_user=staff_user(request), colleague=data["colleague"]
            )
            messages.success(
                request,
                _("%(name)s can now open this visit from their own dashboard.")
                % {"name": colleague.display_name},
            )
        else:
            guest, issued = services.guest_add(
                visit=visit,
                by_user=staff_user(request),
                role=data["role"],
                display_name=data["display_name"],
                language=data["language"] or "",
                interface_language=data["interface_language"] or "",
            )
            _remember_link(request, visit, issued.token, guest)
    except GuestError as exc:
        form.add_error(None, str(GUEST_ERRORS.get(exc.reason, str(exc))))
        return _render_detail(request, visit, form, status=400)
    return redirect("staff:visit", visit_id=visit.id)


def _guest_or_404(visit: Visit, participant_id: uuid.UUID) -> Participant:
    guest = guests_for_visit(visit).filter(pk=participant_id).first()
    if guest is None or guest.role not in GUEST_ROLES:
        raise Http404("no such guest")
    return guest


@login_required
@require_POST
def guest_remove(
    request: HttpRequest, visit_id: uuid.UUID, participant_id: uuid.UUID
) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    guest = _guest_or_404(visit, participant_id)
    services.guest_remove(participant=guest, by_user=staff_user(request))
    messages.success(request, _("%(name)s was removed.") % {"name": guest.display_name})
    return redirect("staff:visit", visit_id=visit.id)


@login_required
@require_POST
def guest_link_renew(
    request: HttpRequest, visit_id: uuid.UUID, participant_id: uuid.UUID
) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    guest = _guest_or_404(visit, participant_id)
    if guest.user_id is not None or not visit.is_open:
        raise Http404("this guest has no link")
    issued = services.invitation_issue(participant=guest, by_user=staff_user(request))
    _remember_link(request, visit, issued.token, guest)
    return redirect("staff:visit", visit_id=visit.id)


@login_required
@require_POST
def invitation_renew(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    resident = visit.participants.filter(role=ParticipantRole.RESIDENT).first()
    if resident is None or not visit.is_open:
        raise Http404("no open visit with a resident")
    issued = services.invitation_issue(participant=resident, by_user=staff_user(request))
    _remember_link(request, visit, issued.token)
    return redirect("staff:visit", visit_id=visit.id)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    """The resident's link card's button: revokes the resident's links (guests have their own)."""
    visit = staff_visit_or_404(request, visit_id)
    resident = visit.participants.filter(role=ParticipantRole.RESIDENT).first()
    if resident is not None:
        services.participant_links_revoke(participant=resident, by_user=staff_user(request))
    return redirect("staff:visit", visit_id=visit.id)


@login_required
@require_POST
def visit_end(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    services.visit_end(visit=visit, by_user=staff_user(request))
    return redirect("staff:visit", visit_id=visit.id)


@login_required
def visit_call(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    if not visit.is_open:
        return redirect("staff:visit", visit_id=visit.id)
    participant = services.staff_participant_get_or_create(visit=visit, user=staff_user(request))
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
