"""Building the report: content (read back with pdftotext), the seal (checked with pdfsig),
full-resolution photos, the job that the end of a visit schedules, failure and retry."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.reports.conftest import (
    ARABIC_FREE_TEXT,
    ARABIC_QUESTION,
    DUTCH_QUESTION,
    NOTES,
    Scenario,
    end_visit_with_content,
    pdfsig,
    pdftotext,
)
from videocontact.evidence import vault
from videocontact.evidence.services import photo_read
from videocontact.jobs.models import Job, JobState
from videocontact.jobs.services import run_due
from videocontact.privacy.models import AuditEvent
from videocontact.reports import selectors, services
from videocontact.reports.demo import self_signed_material
from videocontact.reports.models import Report, ReportSettings, ReportState, ReportTrigger
from videocontact.reports.signals import report_ready
from videocontact.visits import services as visits

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(scenario: Scenario, django_capture_on_commit_callbacks: Any) -> Report:
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due() == 1
    return Report.objects.get(visit=scenario.visit)


def pdf_of(report: Report) -> bytes:
    return services.report_read(report=report, by_user=None, purpose="test")


def test_end_of_visit_schedules_exactly_one_build(scenario: Scenario) -> None:
    jobs = Job.objects.filter(kind=services.BUILD_JOB)
    assert jobs.count() == 1
    report = Report.objects.get(visit=scenario.visit)
    assert (report.number, report.state, report.trigger) == (1, "building", "visit_end")
    assert jobs.get().payload == {"report": str(report.id)}
    # Ending again, or scheduling the end-of-visit build again, adds nothing.
    visits.visit_end(visit=scenario.visit, by_user=scenario.caseworker)
    again = services.report_schedule(
        visit=scenario.visit, by_user=None, trigger=ReportTrigger.VISIT_END
    )
    assert again == report
    assert jobs.count() == 1
    assert Report.objects.count() == 1


def test_report_shows_everything_in_dutch_with_arabic_beside(
    scenario: Scenario, ready: Report, tmp_path: Path
) -> None:
    pdf = pdf_of(ready)
    text = pdftotext(pdf, tmp_path)
    lines = pdftotext(pdf, tmp_path, layout=True).splitlines()
    assert "Gemeente Voorbeeldstad" in text
    assert "Aanvraag bijstand" in text
    assert "Verslag van het bezoek" in text
    # Dutch question and answer, the Arabic question text, the answers in both languages
    assert DUTCH_QUESTION in text
    assert ARABIC_QUESTION in text
    assert ARABIC_FREE_TEXT in text
    # each question with its translation on one line, each answer likewise
    assert f"{DUTCH_QUESTION} {ARABIC_QUESTION}" in lines
    assert "Huurt u dit huis? هل تستأجر هذا البيت؟" in lines
    assert "Ja نعم" in lines
    assert "Stadswarmte تدفئة مركزية" in lines
    assert "15-03-2021" in text
    # a question hidden by its condition is left out
    assert "verhuurder" not in text
    # participants by role, the caseworker by the name the organisation's policy allows
    assert "Medewerker Sanne" in text
    assert "de Vries" not in text
    assert "Amina Haddad" in text
    # signature hash and time, photos with caption and hash, the discarded one left out
    assert scenario.signature.sha256 in text
    for photo in scenario.photos:
        assert photo.caption in text
        assert photo.sha256 in text
    assert "Weggegooide foto" not in text
    assert scenario.discarded.sha256 not in text
    # notes (on by default) and the audit summary
    assert "Interne notities van de medewerker" in text
    assert NOTES in text
    assert "Foto gemaakt" in text
    assert "Bezoek beëindigd" in text


def test_report_is_recorded_with_its_hash_and_announced_after_commit(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    received: list[Report] = []

    def listener(sender: Any, report: Report, **kwargs: Any) -> None:
        received.append(report)

    report_ready.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            run_due()
        assert received == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        report_ready.disconnect(listener)
    report = Report.objects.get()
    assert [r.pk for r in received] == [report.pk]
    data = pdf_of(report)
    assert report.state == ReportState.READY and report.sealed
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert report.size == len(data)
    assert report.signature_sha256 == scenario.signature.sha256
    assert "demozegel" in report.sealed_by
    reads = AuditEvent.objects.filter(action="photo.read", visit_id=scenario.visit.id)
    assert sorted(e.object_id for e in reads) == sorted(str(p.pk) for p in scenario.photos)
    assert {e.data["purpose"] for e in reads} == {"report"}
    assert AuditEvent.objects.filter(action="report.ready", object_id=str(report.pk)).exists()


def test_a_failing_listener_does_not_undo_the_report(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    def broken(sender: Any, report: Report, **kwargs: Any) -> None:
        raise RuntimeError("export down")

    report_ready.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_due()
    finally:
        report_ready.disconnect(broken)
    assert Report.objects.get().state == ReportState.READY
    assert Job.objects.get(kind=services.BUILD_JOB).state == JobState.DONE


def test_notes_section_can_be_switched_off_per_process(
    arabic_visit: Any, caseworker: Any, seal_certificate: Any, tmp_path: Path
) -> None:
    ReportSettings.objects.create(process=arabic_visit.process, include_notes=False)
    end_visit_with_content(arabic_visit, caseworker)
    run_due()
    text = pdftotext(pdf_of(Report.objects.get()), tmp_path)
    assert "Interne notities" not in text
    assert NOTES not in text
    assert ARABIC_FREE_TEXT in text


def test_photos_are_embedded_byte_for_byte(scenario: Scenario, ready: Report) -> None:
    data = pdf_of(ready)
    for photo in scenario.photos:
        jpeg = photo_read(photo=photo, by_user=None, purpose="test")
        assert jpeg in data  # not re-encoded, not scaled down


def test_seal_verifies_with_pdfsig(ready: Report, tmp_path: Path) -> None:
    out = pdfsig(pdf_of(ready), tmp_path)
    assert "Signature Field Name: Zegel" in out
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out
    assert "Signer Certificate Common Name: Gemeente Voorbeeldstad (demozegel)" in out


def test_tampered_pdf_fails_pdfsig(ready: Report, tmp_path: Path) -> None:
    data = bytearray(pdf_of(ready))
    at = data.index(b"/Producer")  # inside the signed byte range
    data[at + 1 : at + 9] = b"Qroducer"
    out = pdfsig(bytes(data), tmp_path, "tampered.pdf")
    assert "Signature is Valid" not in out
    assert "Digest Mismatch" in out


def test_content_added_after_sealing_is_not_covered(ready: Report, tmp_path: Path) -> None:
    data = pdf_of(ready) + b"\n% appended after sealing\n"
    out = pdfsig(data, tmp_path, "appended.pdf")
    assert "Total document signed" not in out


def test_a_failure_is_visible_and_retryable(
    arabic_visit: Any, caseworker: Any, organisation: Any
) -> None:
    end_visit_with_content(arabic_visit, caseworker)  # no seal certificate yet
    run_due()
    report = Report.objects.get()
    assert report.state == ReportState.FAILED
    assert report.error_code == "no_seal_certificate"
    assert Job.objects.get(kind=services.BUILD_JOB).state == JobState.FAILED
    assert AuditEvent.objects.filter(action="report.failed", object_id=str(report.pk)).exists()

    services.seal_certificate_store(
        organisation=organisation, material=self_signed_material(organisation.name)
    )
    services.report_retry(report=report, by_user=caseworker)
    report.refresh_from_db()
    assert (report.state, report.error_code) == (ReportState.BUILDING, "")
    assert run_due() == 1
    report.refresh_from_db()
    assert (report.state, report.number) == (ReportState.READY, 1)
    assert Job.objects.filter(kind=services.BUILD_JOB).count() == 1


def test_an_expired_seal_certificate_fails_the_build(
    arabic_visit: Any, caseworker: Any, organisation: Any
) -> None:
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    services.seal_certificate_store(
        organisation=organisation,
        material=self_signed_material(organisation.name, valid_days=10, now=old),
    )
    end_visit_with_content(arabic_visit, caseworker)
    run_due()
    assert Report.objects.get().error_code == "seal_expired"


def test_rebuild_makes_number_two(ready: Report, scenario: Scenario) -> None:
    second = services.report_schedule(
        visit=scenario.visit, by_user=scenario.caseworker, trigger=ReportTrigger.MANUAL
    )
    assert (second.number, second.state) == (2, ReportState.BUILDING)
    assert selectors.report_latest_ready(scenario.visit.id) == ready
    assert run_due() == 1
    second.refresh_from_db()
    assert second.state == ReportState.READY
    assert second.sha256 != ready.sha256  # another number, another time: another document
    assert selectors.report_latest_ready(scenario.visit.id) == second
    assert Job.objects.filter(kind=services.BUILD_JOB).count() == 2


def test_a_double_click_on_make_again_builds_one_new_version(
    ready: Report, scenario: Scenario
) -> None:
    first = services.report_schedule(
        visit=scenario.visit, by_user=scenario.caseworker, trigger=ReportTrigger.MANUAL
    )
    second = services.report_schedule(
        visit=scenario.visit, by_user=scenario.caseworker, trigger=ReportTrigger.MANUAL
    )
    assert first == second and first.number == 2
    assert Report.objects.filter(visit=scenario.visit).count() == 2


def test_building_twice_keeps_the_first_result(ready: Report) -> None:
    again = services.report_build(report_id=ready.id)
    assert again is not None
    assert (again.blob_name, again.sha256) == (ready.blob_name, ready.sha256)


def test_a_visit_without_questionnaire_or_photos_still_gets_a_report(
    visit: Any, caseworker: Any, seal_certificate: Any, tmp_path: Path
) -> None:
    visits.visit_end(visit=visit, by_user=caseworker)
    run_due()
    report = Report.objects.get()
    assert report.state == ReportState.READY
    text = pdftotext(pdf_of(report), tmp_path)
    assert "Er is geen vragenlijst ingevuld" in text
    assert "Er zijn geen foto's gemaakt" in text


def test_a_photo_missing_from_storage_fails_the_build_visibly(
    arabic_visit: Any, caseworker: Any, seal_certificate: Any
) -> None:
    scenario = end_visit_with_content(arabic_visit, caseworker)
    vault.destroy(scenario.photos[0].blob_name)
    run_due()
    report = Report.objects.get()
    assert (report.state, report.error_code) == (ReportState.FAILED, "evidence_unreadable")
    assert report.blob_name == ""
