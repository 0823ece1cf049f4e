"""The report on the visit page: the panel, build / rebuild / retry, download with permission
checks, and the resident's own copy."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.helpers import inline_script_problems
from tests.reports.conftest import Scenario
from videocontact.jobs.services import run_due
from videocontact.privacy.models import AuditEvent
from videocontact.reports.models import Report, ReportSettings, ReportState
from videocontact.visits.models import Participant, ParticipantState

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(scenario: Scenario) -> Report:
    run_due()
    report = Report.objects.get(visit=scenario.visit)
    assert report.state == ReportState.READY
    return report


def staff_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def resident_client(*participants: Any) -> Client:
    client = Client()
    client.cookies["vc_session"] = factories.participant_session(*participants)
    return client


def download_url(report: Report) -> str:
    return f"/staff/visits/{report.visit_id}/reports/{report.id}/download"


def test_caseworker_downloads_the_sealed_pdf(ready: Report, caseworker: Any) -> None:
    response = staff_client(caseworker).get(download_url(ready))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{ready.filename}"'
    assert "no-store" in response["Cache-Control"]
    assert hashlib.sha256(response.content).hexdigest() == ready.sha256
    event = AuditEvent.objects.get(action="report.read", object_id=str(ready.pk))
    assert (event.actor_user, event.data["purpose"]) == (caseworker, "download")


def test_a_colleague_of_the_unit_may_download(ready: Report, colleague: Any) -> None:
    assert staff_client(colleague).get(download_url(ready)).status_code == 200


def test_others_may_not_download(ready: Report, outsider: Any) -> None:
    assert staff_client(outsider).get(download_url(ready)).status_code == 404
    anonymous = Client().get(download_url(ready))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not AuditEvent.objects.filter(action="report.read").exists()


def test_a_report_id_of_another_visit_finds_nothing(
    ready: Report, caseworker: Any, process: Any
) -> None:
    other, _ = factories.make_visit(process=process, caseworker=caseworker)
    url = f"/staff/visits/{other.id}/reports/{ready.id}/download"
    assert staff_client(caseworker).get(url).status_code == 404


def test_a_report_still_building_cannot_be_downloaded(scenario: Scenario) -> None:
    report = Report.objects.get()
    assert staff_client(scenario.caseworker).get(download_url(report)).status_code == 404


def test_panel_shows_a_ready_report_with_size_hash_and_download(
    ready: Report, caseworker: Any
) -> None:
    response = staff_client(caseworker).get(f"/staff/visits/{ready.visit_id}/")
    html = response.content.decode()
    assert "Verslag 1 is klaar en verzegeld." in html
    assert ready.sha256 in html
    assert download_url(ready) in html
    assert "Opnieuw maken" in html
    assert "demozegel" in html
    assert inline_script_problems(html) == []
    assert 'style="' not in html


def test_panel_shows_building(scenario: Scenario) -> None:
    html = staff_client(scenario.caseworker).get(f"/staff/visits/{scenario.visit.id}/")
    assert "Verslag 1 wordt gemaakt." in html.content.decode()


def test_panel_on_an_open_visit_explains_when_the_report_comes(visit: Any, caseworker: Any) -> None:
    html = staff_client(caseworker).get(f"/staff/visits/{visit.id}/").content.decode()
    assert "Het verslag wordt vanzelf gemaakt als het bezoek klaar is." in html
    assert "Verslag maken" not in html


def test_failed_build_shows_the_reason_and_retry_rebuilds(
    arabic_visit: Any, caseworker: Any, organisation: Any
) -> None:
    from tests.reports.conftest import end_visit_with_content
    from videocontact.reports.demo import self_signed_material
    from videocontact.reports.services import seal_certificate_store

    end_visit_with_content(arabic_visit, caseworker)
    run_due()
    report = Report.objects.get()
    client = staff_client(caseworker)
    html = client.get(f"/staff/visits/{arabic_visit.id}/").content.decode()
    assert "Verslag 1 kon niet worden gemaakt." in html
    assert "geen zegelcertificaat" in html
    assert "Opnieuw proberen" in html
    assert "Opnieuw maken" not in html  # retry keeps the number; no second button

    seal_certificate_store(
        organisation=organisation, material=self_signed_material(organisation.name)
    )
    retry = client.post(f"/staff/visits/{arabic_visit.id}/reports/{report.id}/retry")
    assert retry.status_code == 302
    run_due()
    report.refresh_from_db()
    assert (report.state, report.number) == (ReportState.READY, 1)


def test_make_again_gives_number_two(ready: Report, caseworker: Any) -> None:
    client = staff_client(caseworker)
    response = client.post(f"/staff/visits/{ready.visit_id}/reports/new")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/visits/{ready.visit_id}/#reports"
    assert list(Report.objects.values_list("number", "state")) == [
        (2, "building"),
        (1, "ready"),
    ]
    run_due()
    html = client.get(f"/staff/visits/{ready.visit_id}/").content.decode()
    assert "Verslag 2 is klaar en verzegeld." in html
    assert download_url(ready) in html  # the earlier version stays downloadable


def test_an_ended_visit_without_report_offers_to_make_one(
    visit: Any, caseworker: Any, seal_certificate: Any
) -> None:
    from videocontact.visits.services import visit_end

    visit_end(visit=visit, by_user=caseworker)
    Report.objects.all().delete()  # e.g. a visit that ended before reports existed
    client = staff_client(caseworker)
    html = client.get(f"/staff/visits/{visit.id}/").content.decode()
    assert "Er is nog geen verslag van dit bezoek." in html
    assert "Verslag maken" in html
    client.post(f"/staff/visits/{visit.id}/reports/new")
    assert list(Report.objects.values_list("number", "trigger")) == [(1, "manual")]


def test_build_needs_an_ended_visit_and_a_post(visit: Any, caseworker: Any, outsider: Any) -> None:
    url = f"/staff/visits/{visit.id}/reports/new"
    assert staff_client(caseworker).get(url).status_code == 405
    assert staff_client(caseworker).post(url).status_code == 302
    assert staff_client(outsider).post(url).status_code == 404
    assert not Report.objects.exists()


# The resident's copy ------------------------------------------------------------------------


def resident_url(report: Report) -> str:
    return f"/v/{report.visit_id}/report"


def test_no_resident_copy_unless_the_process_allows_it(ready: Report, scenario: Scenario) -> None:
    client = resident_client(scenario.resident)
    page = client.get(f"/v/{scenario.visit.id}/").content.decode()
    assert "Download uw verslag" not in page
    assert client.get(resident_url(ready)).status_code == 404


def test_resident_downloads_their_copy_when_allowed(ready: Report, scenario: Scenario) -> None:
    ReportSettings.objects.create(
        process=scenario.visit.process, resident_copy=True, include_notes=False
    )
    client = resident_client(scenario.resident)
    page = client.get(f"/v/{scenario.visit.id}/").content.decode()
    assert "Download uw verslag" in page
    assert resident_url(ready) in page
    response = client.get(resident_url(ready))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert hashlib.sha256(response.content).hexdigest() == ready.sha256
    event = AuditEvent.objects.get(action="report.read")
    assert event.actor_participant_id == scenario.resident.id
    assert event.data["purpose"] == "resident_copy"


def test_resident_copy_needs_the_residents_own_session(
    ready: Report, scenario: Scenario, process: Any, caseworker: Any
) -> None:
    ReportSettings.objects.create(
        process=scenario.visit.process, resident_copy=True, include_notes=False
    )
    assert Client().get(resident_url(ready)).status_code == 403
    other_visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    stranger = resident_client(factories.resident_of(other_visit))
    assert stranger.get(resident_url(ready)).status_code == 403
    guest = factories.make_participant(visit=scenario.visit, display_name="Tolk")
    assert resident_client(guest).get(resident_url(ready)).status_code == 404
    assert not AuditEvent.objects.filter(action="report.read").exists()


def test_no_resident_copy_of_a_report_with_internal_notes(
    ready: Report, scenario: Scenario
) -> None:
    from django.core.exceptions import ValidationError

    settings_row = ReportSettings(process=scenario.visit.process, resident_copy=True)
    with pytest.raises(ValidationError):
        settings_row.full_clean()  # the admin refuses the combination
    settings_row.save()  # and should a row hold it anyway, the resident still gets no copy
    client = resident_client(scenario.resident)
    assert "Download uw verslag" not in client.get(f"/v/{scenario.visit.id}/").content.decode()
    assert client.get(resident_url(ready)).status_code == 404


def test_no_resident_copy_for_a_browser_that_never_consented(
    ready: Report, scenario: Scenario
) -> None:
    ReportSettings.objects.create(
        process=scenario.visit.process, resident_copy=True, include_notes=False
    )
    Participant.objects.filter(pk=scenario.resident.pk).update(state=ParticipantState.INVITED)
    assert resident_client(scenario.resident).get(resident_url(ready)).status_code == 403
