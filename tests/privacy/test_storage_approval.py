"""Storage is off until the privacy officer approves it per process: photos, report, internal
notes and the caption transcript are each refused without an approval, allowed with one, and a
new version changes that. Approvals are versioned (never edited) and audited."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from tests import factories
from videocontact.accounts.models import Process, Role, Unit, User
from videocontact.evidence import services as evidence
from videocontact.evidence.errors import EvidenceError
from videocontact.evidence.models import Photo
from videocontact.language import captions
from videocontact.language.models import CaptionSession, CaptionSettings, TranscriptLine
from videocontact.privacy.approvals import (
    NotAllowedToApprove,
    StorageNotApproved,
    current_approval,
    storage_allowed,
    storage_approve,
)
from videocontact.privacy.models import AppendOnlyError, AuditEvent, StorageApproval
from videocontact.privacy.services import retention_start
from videocontact.questionnaires import services as forms
from videocontact.reports.errors import ReportBuildError
from videocontact.reports.models import Report, ReportTrigger
from videocontact.reports.services import report_build, report_schedule
from videocontact.rooms.models import RoomConnection
from videocontact.visits import services as visits
from videocontact.visits.models import ParticipantState, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_evidence_dir(settings: Any, tmp_path: Any) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def bare(unit: Unit) -> Process:
    """A process the privacy officer has not approved anything for."""
    return factories.make_process(unit=unit, storage_approved=False)


@pytest.fixture
def bare_visit(bare: Process, caseworker: User) -> Visit:
    return factories.make_visit(process=bare, caseworker=caseworker)[0]


@pytest.fixture
def officer(unit: Unit) -> User:
    return factories.make_user(unit=unit, role=Role.PRIVACY_OFFICER, username="fg")


def jpeg() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def resident_in_call(visit: Visit) -> Any:
    resident = factories.resident_of(visit)
    type(resident).objects.filter(pk=resident.pk).update(state=ParticipantState.ADMITTED)
    RoomConnection.objects.create(participant=resident, channel_name="test.resident")
    resident.refresh_from_db()
    return resident


# Photos ---------------------------------------------------------------------------------------


def test_photos_are_refused_until_approved_and_allowed_after(
    bare_visit: Visit, caseworker: User
) -> None:
    resident = resident_in_call(bare_visit)
    with pytest.raises(EvidenceError) as refused:
        evidence.photo_request_create(
            visit_id=bare_visit.id, by_user=caseworker, target_id=resident.id, from_peer="p"
        )
    assert refused.value.code == "storage_not_approved" and refused.value.status == 403
    assert "privacyfunctionaris" in refused.value.message  # Dutch first, from the catalog
    with pytest.raises(EvidenceError):
        evidence.photo_store(
            visit=bare_visit, data=jpeg(), requested_by=caseworker, captured_by=resident
        )
    assert not Photo.objects.exists()

    factories.approve_storage(bare_visit.process)
    request = evidence.photo_request_create(
        visit_id=bare_visit.id, by_user=caseworker, target_id=resident.id, from_peer="p"
    )
    assert evidence.photo_upload(
        visit_id=bare_visit.id, participant=resident, request_id=request.id, data=jpeg()
    ).created


def test_a_new_version_without_photos_refuses_the_upload_with_a_clear_403(
    visit: Visit, caseworker: User
) -> None:
    resident = resident_in_call(visit)
    request = evidence.photo_request_create(
        visit_id=visit.id, by_user=caseworker, target_id=resident.id, from_peer="p"
    )
    factories.approve_storage(visit.process, photos=False)  # withdrawn: version 2
    client = Client()
    client.cookies["vc_session"] = factories.participant_session(resident)
    response = client.post(
        f"/v/{visit.id}/photos",
        data=jpeg(),
        content_type="image/jpeg",
        headers={"X-Photo-Request": str(request.id)},
    )
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "storage_not_approved"
    assert not Photo.objects.exists()


def test_the_call_page_config_says_photos_are_not_approved(
    bare_visit: Visit, caseworker: User
) -> None:
    page = signed_in(caseworker).get(f"/staff/visits/{bare_visit.id}/")
    assert page.status_code == 200
    assert "de privacyfunctionaris heeft dat niet goedgekeurd" in page.content.decode().lower()


# Report ---------------------------------------------------------------------------------------


def test_no_report_without_approval_at_the_visit_end_nor_by_hand(
    bare_visit: Visit, caseworker: User
) -> None:
    visits.visit_end(visit=bare_visit, by_user=caseworker)
    assert not Report.objects.filter(visit=bare_visit).exists()
    assert AuditEvent.objects.filter(action="report.not_approved", visit_id=bare_visit.id).exists()
    client = signed_in(caseworker)
    page = client.post(f"/staff/visits/{bare_visit.id}/reports/new", follow=True)
    assert page.status_code == 200
    assert not Report.objects.filter(visit=bare_visit).exists()
    assert "privacyfunctionaris" in page.content.decode()

    factories.approve_storage(bare_visit.process)
    client.post(f"/staff/visits/{bare_visit.id}/reports/new")
    assert Report.objects.filter(visit=bare_visit).count() == 1


def test_a_withdrawn_approval_fails_a_report_still_waiting_to_be_built(
    visit: Visit, caseworker: User
) -> None:
    visits.visit_end(visit=visit, by_user=caseworker)
    report = Report.objects.get(visit=visit)
    factories.approve_storage(visit.process, report=False)
    with pytest.raises(ReportBuildError) as failed:
        report_build(report_id=report.id)
    assert failed.value.code == "not_approved"
    again = report_schedule(visit=visit, by_user=caseworker, trigger=ReportTrigger.MANUAL)
    assert again.pk == report.pk  # the waiting one, no second build


# Notes ----------------------------------------------------------------------------------------


@pytest.fixture
def bare_questionnaire(bare: Process, bare_visit: Visit, caseworker: User) -> Any:
    from tests.questionnaires.definitions import full_definition

    forms.template_import(process=bare, data=full_definition())
    return forms.questionnaire_start(visit=bare_visit, by_user=caseworker)


def test_notes_need_the_approval_and_a_new_version_changes_it(
    bare_questionnaire: Any, bare: Process, caseworker: User
) -> None:
    with pytest.raises(StorageNotApproved) as refused:
        forms.notes_save(questionnaire_id=bare_questionnaire.id, text="x", by_user=caseworker)
    assert refused.value.code == "storage_not_approved"
    forms.notes_save(questionnaire_id=bare_questionnaire.id, text="", by_user=caseworker)
    factories.approve_storage(bare, photos=False, notes=True)
    forms.notes_save(questionnaire_id=bare_questionnaire.id, text="gezien", by_user=caseworker)
    bare_questionnaire.refresh_from_db()
    assert bare_questionnaire.notes == "gezien"
    factories.approve_storage(bare, notes=False)
    with pytest.raises(StorageNotApproved):
        forms.notes_save(questionnaire_id=bare_questionnaire.id, text="meer", by_user=caseworker)


# Transcript -----------------------------------------------------------------------------------


def test_the_transcript_is_kept_only_with_the_approval(bare_visit: Visit, caseworker: User) -> None:
    CaptionSettings.objects.create(process=bare_visit.process, keep_transcript=True)
    assert not captions.keeps_transcript(bare_visit.process_id)
    session = CaptionSession.objects.create(
        visit=bare_visit, keep_transcript=True, requested_by=factories.resident_of(bare_visit)
    )
    captions.transcript_add(session_id=session.id, role="resident", language="nl", text="hallo")
    assert not TranscriptLine.objects.exists()
    factories.approve_storage(bare_visit.process)
    assert captions.keeps_transcript(bare_visit.process_id)
    captions.transcript_add(session_id=session.id, role="resident", language="nl", text="hallo")
    assert TranscriptLine.objects.count() == 1


# Versions, audit, retention ---------------------------------------------------------------------


def test_versions_are_new_rows_audited_and_never_edited(bare: Process, officer: User) -> None:
    first = storage_approve(
        process=bare,
        by_user=officer,
        photos=True,
        report=False,
        notes=False,
        transcript=False,
        retention_days=30,
    )
    second = storage_approve(
        process=bare,
        by_user=officer,
        photos=False,
        report=True,
        notes=True,
        transcript=False,
        retention_days=60,
        note="DPIA 2026-04",
    )
    assert (first.version, second.version) == (1, 2)
    assert current_approval(bare.pk) == second
    assert storage_allowed(bare.pk, "report") and not storage_allowed(bare.pk, "photos")
    events = AuditEvent.objects.filter(
        action="storage.approved", object_id__in=[first.pk, second.pk]
    )
    assert [e.data["kinds"] for e in events.order_by("id")] == [["photos"], ["report", "notes"]]
    assert all(e.actor_user_id == officer.pk for e in events)
    first.photos = False
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    assert StorageApproval.objects.filter(process=bare).count() == 2


def test_only_the_privacy_officer_of_the_organisation_approves(
    bare: Process, caseworker: User, outsider: User
) -> None:
    foreign_officer = factories.make_user(
        unit=outsider.memberships.get().unit, role=Role.PRIVACY_OFFICER
    )
    for user in (caseworker, foreign_officer):
        with pytest.raises(NotAllowedToApprove):
            storage_approve(
                process=bare,
                by_user=user,
                photos=True,
                report=True,
                notes=True,
                transcript=True,
                retention_days=30,
            )
    assert current_approval(bare.pk) is None


def test_the_approved_term_caps_the_retention_clock(bare_visit: Visit) -> None:
    factories.approve_storage(bare_visit.process)  # 90 days, as the process
    StorageApproval.objects.filter(process=bare_visit.process).delete()  # queryset: test only
    storage_approve(
        process=bare_visit.process,
        by_user=None,
        photos=True,
        report=True,
        notes=True,
        transcript=True,
        retention_days=14,
        check_role=False,
    )
    from django.utils import timezone

    clock = retention_start(visit=bare_visit, started_at=timezone.now(), reason="exported")
    assert (clock.purge_after - clock.started_at).days == 14


# The privacy officer's page -----------------------------------------------------------------------


def test_the_officer_approves_on_their_page_as_a_new_version(
    bare: Process, officer: User, outsider: User
) -> None:
    client = signed_in(officer)
    page = client.get("/staff/privacy/storage")
    assert page.status_code == 200
    assert "Nog niet goedgekeurd" in page.content.decode()
    response = client.post(
        f"/staff/privacy/storage/{bare.pk}",
        {"photos": "on", "report": "on", "retention_days": "45", "note": "DPIA"},
    )
    assert response.status_code == 302
    approval = current_approval(bare.pk)
    assert approval is not None and approval.version == 1 and approval.retention_days == 45
    assert approval.photos and approval.report and not approval.notes
    assert (
        client.post(
            f"/staff/privacy/storage/{bare.pk}", {"retention_days": "abc"}, follow=True
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"/staff/privacy/storage/{bare.pk}", {"retention_days": "0"}, follow=True
        ).status_code
        == 200
    )
    assert current_approval(bare.pk) == approval  # bad input: no new version, no 500
    foreign = outsider.memberships.get().unit.processes.first()
    assert (
        client.post(f"/staff/privacy/storage/{foreign.pk}", {"retention_days": "9"}).status_code
        == 404
    )


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN])
def test_other_roles_cannot_approve(unit: Unit, bare: Process, role: str) -> None:
    client = signed_in(factories.make_user(unit=unit, role=role))
    assert client.get("/staff/privacy/storage").status_code == 404
    response = client.post(
        f"/staff/privacy/storage/{bare.pk}", {"photos": "on", "retention_days": "9"}
    )
    assert response.status_code == 404
    assert current_approval(bare.pk) is None
