"""Data-subject access (AVG art. 15): everything held about the resident of one visit, as a ZIP,
for the privacy officer. Every photo and report read for it is audited, and so is the export."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from videocontact.accounts.models import User
from videocontact.evidence.errors import EvidenceError
from videocontact.evidence.models import Photo
from videocontact.evidence.services import photo_read
from videocontact.notifications.models import Contact, Message
from videocontact.privacy.audit import audit
from videocontact.privacy.models import AuditEvent, ConsentRecord
from videocontact.questionnaires.models import Answer, Questionnaire, Signature
from videocontact.reports.models import Report, ReportState
from videocontact.reports.services import report_read
from videocontact.visits.models import Visit

PURPOSE = "subject access request"


def _json(data: Any) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str).encode("utf-8")


def subject_access_zip(*, visit: Visit, by_user: User) -> bytes:
    people = visit.participants.filter(user__isnull=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "visit.json",
            _json(
                {
                    "visit": str(visit.id),
                    "process": visit.process.name,
                    "organisation": visit.organisation.name,
                    "resident_name": visit.resident_name,
                    "case_reference": visit.case_reference,
                    "language": visit.resident_language,
                    "scheduled_at": visit.scheduled_at,
                    "started_at": visit.started_at,
                    "ended_at": visit.ended_at,
                    "status": visit.status,
                    "participants": [
                        {
                            "id": str(p.id),
                            "role": p.role,
                            "name": p.display_name,
                            "state": p.state,
                            "consents": list(
                                ConsentRecord.objects.filter(participant=p).values(
                                    "decision", "text_version", "language", "at"
                                )
                            ),
                            "contact": Contact.objects.filter(participant=p)
                            .values("email", "mobile", "language")
                            .first(),
                        }
                        for p in people
                    ],
                    "messages": list(
                        Message.objects.filter(visit=visit).values(
                            "channel", "kind", "state", "recipient_masked", "sent_at"
                        )
                    ),
                }
            ),
        )
        questionnaire = Questionnaire.objects.filter(visit=visit).first()
        if questionnaire is not None:
            archive.writestr(
                "questionnaire.json",
                _json(
                    {
                        "answers": dict(
                            Answer.objects.filter(questionnaire=questionnaire).values_list(
                                "question_id", "value"
                            )
                        ),
                        "language": questionnaire.language,
                    }
                ),
            )
            for n, signature in enumerate(
                Signature.objects.filter(questionnaire=questionnaire), start=1
            ):
                archive.writestr(f"signatures/{n}.png", bytes(signature.png))
        for n, photo in enumerate(Photo.objects.filter(visit=visit, discarded_at__isnull=True), 1):
            try:
                data = photo_read(photo=photo, by_user=by_user, purpose=PURPOSE)
            except EvidenceError:
                continue  # a blob that is gone is reported by the evidence checks
            extension = "png" if photo.content_type == "image/png" else "jpg"
            archive.writestr(f"photos/{n}.{extension}", data)
        for report in Report.objects.filter(visit=visit, state=ReportState.READY):
            data = report_read(report=report, by_user=by_user, purpose=PURPOSE)
            archive.writestr(f"reports/report-{report.number}.pdf", data)
        archive.writestr(
            "audit.json",
            _json(
                list(
                    AuditEvent.objects.filter(visit_id=visit.id)
                    .order_by("id")
                    .values("at", "action", "object_type", "object_id")
                )
            ),
        )
    audit(action="subject_access.exported", obj=visit, actor_user=by_user, visit_id=visit.id)
    return buffer.getvalue()
