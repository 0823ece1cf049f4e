from __future__ import annotations

import uuid

from videocontact.reports.models import Report, ReportSettings, ReportState, SealCertificate
from videocontact.visits.models import Participant, ParticipantRole, VisitStatus


def report_latest_ready(visit_id: uuid.UUID) -> Report | None:
    return (
        Report.objects.filter(visit_id=visit_id, state=ReportState.READY)
        .order_by("-number")
        .first()
    )


def reports_for_visit(visit_id: uuid.UUID) -> list[Report]:
    return list(Report.objects.filter(visit_id=visit_id).order_by("-number"))


def report_of_visit(visit_id: uuid.UUID, report_id: uuid.UUID) -> Report | None:
    """A report of this visit only: an id of another visit's report finds nothing."""
    return Report.objects.filter(pk=report_id, visit_id=visit_id).first()


def report_settings_for(process_id: int) -> ReportSettings:
    """The process's settings, or the defaults (notes in, no resident copy) when none are saved."""
    found = ReportSettings.objects.filter(process_id=process_id).first()
    return found or ReportSettings(process_id=process_id)


def seal_certificate_for(organisation_id: int) -> SealCertificate | None:
    return SealCertificate.objects.filter(organisation_id=organisation_id).first()


def report_for_resident(participant: Participant) -> Report | None:
    """The copy a resident may download: their own ended visit, the process allows it, and a
    sealed report is ready. Anything else: None."""
    visit = participant.visit
    if participant.role != ParticipantRole.RESIDENT or visit.status != VisitStatus.ENDED:
        return None
    report_settings = report_settings_for(visit.process_id)
    # The caseworker's internal notes never reach the resident: a report with notes is no copy.
    if not report_settings.resident_copy or report_settings.include_notes:
        return None
    return report_latest_ready(visit.id)
