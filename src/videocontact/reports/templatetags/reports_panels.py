"""The reports panel on the caseworker's visit page (templates/staff/visit_detail.html) and the
resident's download link on the 'ended' page (templates/resident/ended.html)."""

from __future__ import annotations

from typing import Any

from django import template

from videocontact.privacy.approvals import storage_allowed
from videocontact.privacy.models import StorageKind
from videocontact.reports import selectors
from videocontact.reports.errors import message_for
from videocontact.visits.access import resident_access
from videocontact.visits.models import VisitStatus

register = template.Library()


@register.inclusion_tag("reports/_visit_panel.html", takes_context=True)
def reports_panel(context: dict[str, Any], visit: Any) -> dict[str, Any]:
    reports = selectors.reports_for_visit(visit.id)
    latest = reports[0] if reports else None
    return {
        "visit": visit,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "latest": latest,
        "error_message": message_for(latest.error_code) if latest and latest.error_code else "",
        "earlier": [r for r in reports[1:] if r.state == "ready"],
        "approved": (approved := storage_allowed(visit.process_id, StorageKind.REPORT)),
        "can_build": visit.status == VisitStatus.ENDED and approved,
        "has_seal": selectors.seal_certificate_for(visit.process.unit.organisation_id) is not None,
    }


@register.inclusion_tag("reports/_resident_copy.html", takes_context=True)
def resident_report_copy(context: dict[str, Any], participant: Any) -> dict[str, Any]:
    request = context.get("request")
    allowed = (
        participant is not None
        and request is not None
        and resident_access(request.session, participant.visit_id, allow_ended=True).allowed
    )
    report = selectors.report_for_resident(participant) if allowed else None
    return {"participant": participant, "report": report}
