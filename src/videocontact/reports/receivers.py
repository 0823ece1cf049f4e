"""The reports app listens to the visit's end: one report per visit end, in its transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from videocontact.privacy.approvals import storage_allowed
from videocontact.privacy.audit import audit
from videocontact.privacy.models import StorageKind
from videocontact.reports.models import Report, ReportState, ReportTrigger
from videocontact.reports.services import report_schedule
from videocontact.visits.models import Visit
from videocontact.visits.signals import visit_ended


@receiver(visit_ended)
def schedule_report_at_visit_end(sender: Any, *, visit: Visit, by_user: Any, **_: Any) -> None:
    if not storage_allowed(visit.process_id, StorageKind.REPORT):
        audit(action="report.not_approved", obj=visit, actor_user=by_user, visit_id=visit.id)
        return  # storage is off until the privacy officer approves reports for the process
    report_schedule(visit=visit, by_user=by_user, trigger=ReportTrigger.VISIT_END)


def report_holds_photo(photo: Any) -> bool:
    """A report that is being built or is ready after the photo arrived contains it."""
    return Report.objects.filter(
        visit_id=photo.visit_id,
        state__in=[ReportState.BUILDING, ReportState.READY],
        created_at__gte=photo.received_at,
    ).exists()
