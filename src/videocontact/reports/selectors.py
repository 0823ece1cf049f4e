from __future__ import annotations

import uuid

from videocontact.reports.models import Report, ReportState


def report_latest_ready(visit_id: uuid.UUID) -> Report | None:
    return (
        Report.objects.filter(visit_id=visit_id, state=ReportState.READY)
        .order_by("-number")
        .first()
    )


def reports_for_visit(visit_id: uuid.UUID) -> list[Report]:
    return list(Report.objects.filter(visit_id=visit_id).order_by("-number"))
