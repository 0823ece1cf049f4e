"""The privacy officer's (FG) pages: search the audit trail of their organisation, and set or
lift a legal hold on a visit. Other roles get a 404, as for any object they may not see."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from videocontact.accounts.models import Membership, Organisation, Role
from videocontact.portal.subject_access import subject_access_zip
from videocontact.privacy.audit import audit
from videocontact.privacy.models import AuditEvent, LegalHold
from videocontact.privacy.modules import ModuleError, module_states, module_switch
from videocontact.privacy.services import legal_hold_lift, legal_hold_set
from videocontact.visits.models import Visit

PAGE_SIZE = 100


def _officer_organisations(request: HttpRequest) -> list[Organisation]:
    organisations = list(
        Organisation.objects.filter(  # type: ignore[misc]
            units__memberships__user=request.user,
            units__memberships__role=Role.PRIVACY_OFFICER,
        ).distinct()
    )
    if not organisations:
        raise Http404("no such page")
    return organisations


def _day(raw: str, *, end: bool) -> datetime | None:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def audit_search_results(
    organisations: list[Organisation], params: dict[str, str]
) -> QuerySet[AuditEvent]:
    """Events of the organisations' visits, and events by their staff (sign-ins, admin saves)."""
    visits = Visit.objects.filter(process__unit__organisation__in=organisations).values("id")
    staff = Membership.objects.filter(unit__organisation__in=organisations).values("user_id")
    events = AuditEvent.objects.filter(Q(visit_id__in=visits) | Q(actor_user_id__in=staff))
    if params.get("action"):
        events = events.filter(action__startswith=params["action"].strip()[:80])
    if params.get("visit"):
        try:
            events = events.filter(visit_id=uuid.UUID(params["visit"].strip()))
        except ValueError:
            events = events.none()
    if params.get("object"):
        events = events.filter(object_id=params["object"].strip()[:64])
    if start := _day(params.get("from", ""), end=False):
        events = events.filter(at__gte=start)
    if stop := _day(params.get("to", ""), end=True):
        events = events.filter(at__lte=stop)
    return events.select_related("actor_user").order_by("-at", "-id")


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    organisations = _officer_organisations(request)
    params = {
        key: request.GET.get(key, "")[:100] for key in ("action", "visit", "object", "from", "to")
    }
    events = list(audit_search_results(organisations, params)[:PAGE_SIZE])
    if any(params.values()):
        audit(
            action="audit.searched",
            obj=organisations[0],
            actor_user=request.user,
            filters={k: v for k, v in params.items() if v},
        )
    holds = LegalHold.objects.filter(
        visit__process__unit__organisation__in=organisations, lifted_at__isnull=True
    ).select_related("visit")
    return render(
        request,
        "privacy/audit_search.html",
        {"events": events, "params": params, "holds": holds, "page_size": PAGE_SIZE},
    )


def _officer_visit(request: HttpRequest, visit_id: uuid.UUID) -> Visit:
    organisations = _officer_organisations(request)
    visit = Visit.objects.filter(pk=visit_id, process__unit__organisation__in=organisations).first()
    if visit is None:
        raise Http404("no such visit")
    return visit


@login_required
@require_POST
def legal_hold_add(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = _officer_visit(request, visit_id)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Give the reason for the legal hold."))
    else:
        legal_hold_set(visit=visit, reason=reason, by_user=request.user)
        messages.success(request, _("The visit's data is kept until the legal hold is lifted."))
    return redirect("privacy:audit")


@login_required
@require_POST
def legal_hold_remove(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = _officer_visit(request, visit_id)
    for hold in LegalHold.objects.filter(visit=visit, lifted_at__isnull=True):
        legal_hold_lift(hold=hold, by_user=request.user)
    messages.success(request, _("The legal hold is lifted: the retention term applies again."))
    return redirect("privacy:audit")


@login_required
@require_POST
def subject_access(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    """Everything held about the resident of this visit, as a ZIP (a data-subject request)."""
    visit = _officer_visit(request, visit_id)
    data = subject_access_zip(visit=visit, by_user=request.user)  # type: ignore[arg-type]
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{visit.id}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def modules(request: HttpRequest) -> HttpResponse:
    """The DPIA-gated modules of the officer's organisations: DPIA, state, switch."""
    organisations = _officer_organisations(request)
    rows = [(organisation, module_states(organisation.pk)) for organisation in organisations]
    return render(request, "privacy/modules.html", {"rows": rows})


@login_required
@require_POST
def module_toggle(request: HttpRequest, organisation_id: int, module: str) -> HttpResponse:
    organisation = next(
        (o for o in _officer_organisations(request) if o.pk == organisation_id), None
    )
    if organisation is None:
        raise Http404("no such organisation")
    enabled = request.POST.get("enabled") == "on"
    try:
        module_switch(
            organisation=organisation, module=module, enabled=enabled, by_user=request.user
        )
    except ModuleError as exc:
        if exc.status == 404:
            raise Http404("no such module") from exc
        messages.error(request, _("Record an approved DPIA for this module first."))
        return redirect("privacy:modules")
    if enabled:
        messages.success(request, _("The module is on for %(org)s.") % {"org": organisation.name})
    else:
        messages.success(request, _("The module is off for %(org)s.") % {"org": organisation.name})
    return redirect("privacy:modules")
