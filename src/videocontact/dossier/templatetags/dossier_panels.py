"""The dossier panel on the caseworker's visit page (templates/staff/visit_detail.html)."""

from __future__ import annotations

from typing import Any

from django import template

from videocontact.dossier.models import ExportState
from videocontact.dossier.selectors import export_status
from videocontact.privacy.selectors import retention_clock_for
from videocontact.reports.selectors import report_latest_ready

register = template.Library()

# The badge colours of the visit page: blue waiting, grey retrying, green sent, red failed.
BADGE = {
    ExportState.WAITING: "planned",
    ExportState.RETRYING: "ended",
    ExportState.SENT: "active",
    ExportState.FAILED: "cancelled",
}


@register.inclusion_tag("dossier/_visit_panel.html", takes_context=True)
def dossier_panel(context: dict[str, Any], visit: Any) -> dict[str, Any]:
    return {
        "visit": visit,
        "request": context.get("request"),
        "report": report_latest_ready(visit.id),
        "targets": export_status(visit.id, visit.process_id),
        "retention": retention_clock_for(visit.id),
    }


@register.filter
def badge_for(state: str) -> str:
    return BADGE.get(state, "planned")  # type: ignore[call-overload]
