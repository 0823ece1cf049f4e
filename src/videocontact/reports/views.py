"""Report pages: build / rebuild / retry (caseworker), download (staff and, if allowed, resident).
Thin: permission checks through selectors, the work in services."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from videocontact.privacy.approvals import StorageNotApproved, storage_require
from videocontact.privacy.models import StorageKind
from videocontact.reports import selectors, services
from videocontact.reports.models import Report, ReportState, ReportTrigger
from videocontact.visits.access import resident_access
from videocontact.visits.models import Visit, VisitStatus
from videocontact.visits.staff_access import staff_user, staff_visit_or_404


def _pdf_response(report: Report, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(len(data))
    return response


@login_required
@require_POST
def report_new(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    """ "Verslag maken" / "Opnieuw maken": a new report number for an ended visit."""
    visit = staff_visit_or_404(request, visit_id)
    if visit.status != VisitStatus.ENDED:
        return redirect("staff:visit", visit_id=visit.id)
    try:
        storage_require(visit.process_id, StorageKind.REPORT)
    except StorageNotApproved as exc:
        messages.error(request, exc.message)
        return redirect(_panel_url(visit))
    services.report_schedule(visit=visit, by_user=staff_user(request), trigger=ReportTrigger.MANUAL)
    return redirect(_panel_url(visit))


@login_required
@require_POST
def report_retry(request: HttpRequest, visit_id: uuid.UUID, report_id: uuid.UUID) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    report = selectors.report_of_visit(visit.id, report_id)
    if report is None:
        raise Http404("no such report")
    services.report_retry(report=report, by_user=staff_user(request))
    return redirect(_panel_url(visit))


@login_required
@require_GET
def report_download(
    request: HttpRequest, visit_id: uuid.UUID, report_id: uuid.UUID
) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    report = selectors.report_of_visit(visit.id, report_id)
    if report is None or report.state != ReportState.READY:
        raise Http404("no such report")
    data = services.report_read(report=report, by_user=staff_user(request), purpose="download")
    return _pdf_response(report, data)


@require_GET
def resident_download(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    """The resident's own copy, with their own session only, when the process allows it."""
    access = resident_access(request.session, visit_id, allow_ended=True)
    participant = access.participant
    if participant is None or not access.allowed:
        # No link in this browser, removed, no consent, or (two-channel join) no SMS code here.
        return render(request, "resident/link_problem.html", {"reason": "session"}, status=403)
    request.organisation = participant.visit.organisation  # type: ignore[attr-defined]
    report = selectors.report_for_resident(participant)
    if report is None:
        raise Http404("no report for this resident")
    data = services.report_read(
        report=report, by_user=None, purpose="resident_copy", by_participant_id=participant.id
    )
    return _pdf_response(report, data)


def _panel_url(visit: Visit) -> str:
    return reverse("staff:visit", kwargs={"visit_id": visit.id}) + "#reports"
