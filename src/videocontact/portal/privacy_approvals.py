"""The privacy officer's (FG) storage approvals: per process of their organisation, what may be
stored (photos, report, internal notes, caption transcript) and for how long. Each save is a
new version (privacy.approvals.storage_approve, audited); other roles get a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from videocontact.accounts.models import Process
from videocontact.core.errors import ServiceError
from videocontact.portal.privacy_officer import _officer_organisations
from videocontact.privacy.approvals import approval_history, storage_approve
from videocontact.privacy.models import StorageKind


@login_required
def storage_list(request: HttpRequest) -> HttpResponse:
    organisations = _officer_organisations(request)
    processes = Process.objects.filter(unit__organisation__in=organisations).select_related("unit")
    rows = []
    for process in processes.order_by("unit__department", "unit__name", "name"):
        history = approval_history(process.pk)
        rows.append(
            {"process": process, "current": history[0] if history else None, "history": history}
        )
    return render(request, "privacy/storage.html", {"rows": rows, "kinds": StorageKind.choices})


@login_required
@require_POST
def storage_approve_view(request: HttpRequest, process_id: int) -> HttpResponse:
    organisations = _officer_organisations(request)
    process = (
        Process.objects.filter(pk=process_id, unit__organisation__in=organisations)
        .select_related("unit")
        .first()
    )
    if process is None:
        raise Http404("no such process")
    try:
        days = int(request.POST.get("retention_days", ""))
    except ValueError:
        messages.error(request, _("Give the retention as a number of days."))
        return redirect("privacy:storage")
    try:
        approval = storage_approve(
            process=process,
            by_user=request.user,
            photos=request.POST.get("photos") == "on",
            report=request.POST.get("report") == "on",
            notes=request.POST.get("notes") == "on",
            transcript=request.POST.get("transcript") == "on",
            retention_days=days,
            note=request.POST.get("note", "").strip(),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Version %(version)s for %(process)s is in force.")
            % {"version": approval.version, "process": process.name},
        )
    return redirect("privacy:storage")
