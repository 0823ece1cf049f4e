"""Caseworker actions on a visit's exports (the status itself is the dossier panel)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from videocontact.dossier.models import ExportState
from videocontact.dossier.selectors import export_of_visit
from videocontact.dossier.services import export_retry
from videocontact.visits.staff_access import staff_user, staff_visit_or_404


@require_POST
@login_required
def retry(request: HttpRequest, visit_id: uuid.UUID, export_id: uuid.UUID) -> HttpResponse:
    visit = staff_visit_or_404(request, visit_id)
    export = export_of_visit(visit.id, export_id)
    if export is None:
        raise Http404("no such export")
    if export.state == ExportState.FAILED:
        export_retry(export=export, by_user=staff_user(request))
        messages.success(request, _("We will try to send it again."))
    return redirect("staff:visit", visit_id=visit_id)
