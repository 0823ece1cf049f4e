"""Filing a report and its photos into a zaak through the ZGW APIs, against a local server that
holds every request and response to the official specs. Retries never create duplicates."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import jwt
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.dossier.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    RSIN,
    ZAAK_IDENTIFICATIE,
    make_zgw_target,
)
from tests.dossier.zgw_server import ZgwServer, sha256
from videocontact.dossier.models import Export, ExportItem, ExportTarget
from videocontact.evidence import services as evidence_services
from videocontact.jobs.models import Job, JobState
from videocontact.jobs.services import run_due
from videocontact.privacy.models import AuditEvent, RetentionClock
from videocontact.reports.models import Report
from videocontact.reports.services import report_read
from videocontact.reports.signals import report_ready

pytestmark = pytest.mark.django_db


def ready(report: Report) -> Export:
    """What the reports app does after its commit; returns the single export it started."""
    report_ready.send(sender=Report, report=report)
    return Export.objects.get(report=report)


def items(export: Export) -> list[ExportItem]:
    return list(export.items.order_by("position"))


def later(minutes: int) -> Any:
    return timezone.now() + timedelta(minutes=minutes)


def test_full_export_files_report_and_photos_and_links_them(
    zgw: ZgwServer, zgw_target: ExportTarget, report: Report, photos: list[Any], caseworker: Any
) -> None:
    export = ready(report)
    assert run_due() == 1

    export.refresh_from_db()
    assert export.state == "sent"
    zaak_url = next(iter(zgw.state.zaken))
    assert export.zaak_url == zaak_url
    documents = zgw.state.documents
    assert len(documents) == 3 and len(zgw.state.links) == 3

    expected = {
        report.sha256: report_read(report=report, by_user=None, purpose="test"),
        **{
            p.sha256: evidence_services.photo_read(photo=p, by_user=None, purpose="test")
            for p in photos
        },
    }
    for url, document in documents.items():
        content = zgw.state.contents[url]
        assert document["integriteit"]["algoritme"] == "sha_256"
        assert document["integriteit"]["waarde"] == sha256(content)
        assert expected[sha256(content)] == content  # the exact bytes of our evidence
        assert document["bronorganisatie"] == RSIN and document["taal"] == "dut"
        assert document["vertrouwelijkheidaanduiding"] == "vertrouwelijk"
        assert document["informatieobjecttype"] == zgw.informatieobjecttype
    by_id = {d["identificatie"]: d for d in documents.values()}
    short = case_visit_short(report)
    assert set(by_id) == {f"OVC-{short}-R1", f"OVC-{short}-F1", f"OVC-{short}-F2"}
    pdf = by_id[f"OVC-{short}-R1"]
    assert pdf["formaat"] == "application/pdf" and pdf["ondertekening"]["soort"] == "digitaal"
    assert by_id[f"OVC-{short}-F1"]["ondertekening"] is None
    assert by_id[f"OVC-{short}-F1"]["formaat"] == "image/jpeg"
    assert by_id[f"OVC-{short}-F1"]["beschrijving"] == "Schimmel in de badkamer"
    assert {(link["zaak"], link["informatieobject"]) for link in zgw.state.links.values()} == {
        (zaak_url, url) for url in documents
    }

    for item in items(export):
        assert item.state == "sent" and item.document_url in documents
        assert item.link_url in zgw.state.links

    # The zaak was found by its identificatie, with the CRS headers the Zaken API requires.
    (lookup,) = [r for r in zgw.state.received if r.path.endswith("/zaken")]
    assert lookup.query == {"identificatie": [ZAAK_IDENTIFICATIE], "bronorganisatie": [RSIN]}
    assert lookup.headers["Accept-Crs"] == "EPSG:4326"
    # ZGW JWT: HS256 with the client secret and the claims of the convention.
    token = zgw.state.received[0].headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, CLIENT_SECRET, algorithms=["HS256"])
    assert claims["iss"] == claims["client_id"] == CLIENT_ID
    assert {"iat", "user_id", "user_representation"} <= set(claims)

    # Every read of evidence for the export is audited; so is every filed document.
    purposes = list(
        AuditEvent.objects.filter(
            action__in=["report.read", "photo.read"], data__purpose="export:zgw"
        )
    )
    assert len(purposes) == 3
    assert AuditEvent.objects.filter(action="export.document_filed").count() == 3
    assert AuditEvent.objects.filter(action="export.sent").count() == 1

    # The status is on the visit page.
    client = Client()
    client.force_login(caseworker)
    page = client.get(reverse("staff:visit", kwargs={"visit_id": report.visit_id}))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-state="sent"') == 3
    assert "Zaakdossier" in html and "Verstuurd" in html  # Dutch first
    for item in items(export):
        assert item.document_url in html


def case_visit_short(report: Report) -> str:
    return report.visit_id.hex[:20]


@pytest.mark.parametrize("mode", ["500", "drop"])
def test_failure_halfway_then_retry_creates_no_duplicates(
    mode: str, zgw: ZgwServer, zgw_target: ExportTarget, report: Report
) -> None:
    zgw.fail("POST", "enkelvoudiginformatieobjecten", mode, skip=1)  # the 2nd document
    export = ready(report)
    run_due()

    export.refresh_from_db()
    states = [item.state for item in items(export)]
    assert export.state == "retrying" and states == ["sent", "retrying", "retrying"]
    assert export.next_attempt_at is not None and export.error
    assert len(zgw.state.documents) == 1
    job = Job.objects.get(kind="dossier.export")
    assert job.state == JobState.QUEUED
    assert abs(job.run_at - export.next_attempt_at) < timedelta(seconds=5)

    assert run_due(now=job.run_at + timedelta(seconds=1)) == 1
    export.refresh_from_db()
    assert export.state == "sent"
    assert [item.state for item in items(export)] == ["sent", "sent", "sent"]
    assert len(zgw.state.documents) == 3
    assert len(zgw.state.links) == 3
    assert len({d["identificatie"] for d in zgw.state.documents.values()}) == 3
    # The retry did not post the first document again.
    assert len(zgw.posts("enkelvoudiginformatieobjecten")) == 4


def test_document_created_but_response_lost_is_found_on_retry(
    zgw: ZgwServer, zgw_target: ExportTarget, report: Report
) -> None:
    zgw.fail("POST", "enkelvoudiginformatieobjecten", "lost", skip=1)
    export = ready(report)
    run_due()
    export.refresh_from_db()
    assert export.state == "retrying"
    assert len(zgw.state.documents) == 2  # the server made the 2nd one; we never heard

    run_due(now=later(60))
    export.refresh_from_db()
    assert export.state == "sent"
    assert len(zgw.state.documents) == 3 and len(zgw.state.links) == 3
    assert len(zgw.posts("enkelvoudiginformatieobjecten")) == 3  # found, not posted again
    lost = items(export)[1]
    assert zgw.state.documents[lost.document_url]["identificatie"] == lost.identificatie


def test_link_created_but_response_lost_is_found_on_retry(
    zgw: ZgwServer, zgw_target: ExportTarget, report: Report
) -> None:
    zgw.fail("POST", "zaakinformatieobjecten", "lost")
    export = ready(report)
    run_due()
    run_due(now=later(60))
    export.refresh_from_db()
    assert export.state == "sent"
    assert len(zgw.state.links) == 3
    assert len(zgw.posts("zaakinformatieobjecten")) == 3
    assert len(zgw.posts("enkelvoudiginformatieobjecten")) == 3


def test_validation_error_fails_with_the_apis_reason_and_is_not_retried(
    process: Any, zgw: ZgwServer, report: Report, caseworker: Any
) -> None:
    target = make_zgw_target(
        process, zgw, informatieobjecttype=f"{zgw.base}/catalogi/api/v1/informatieobjecttypen/x"
    )
    export = ready(report)
    run_due()

    export.refresh_from_db()
    assert export.state == "failed"
    for item in items(export):
        assert item.state == "failed"
        assert "informatieobjecttype" in item.error
        assert "bekend informatieobjecttype" in item.error  # the API's own words
    assert Job.objects.get(kind="dossier.export").state == JobState.FAILED
    requests_before = len(zgw.state.received)
    assert run_due(now=later(24 * 60)) == 0
    assert len(zgw.state.received) == requests_before

    client = Client()
    client.force_login(caseworker)
    visit_url = reverse("staff:visit", kwargs={"visit_id": report.visit_id})
    page = client.get(visit_url).content.decode()
    assert "bekend informatieobjecttype" in page and "dossier/retry" not in page
    retry_url = reverse(
        "dossier:retry", kwargs={"visit_id": report.visit_id, "export_id": export.pk}
    )
    assert retry_url in page

    # The administrator fixes the configuration; the caseworker presses "try again".
    ExportTarget.objects.filter(pk=target.pk).update(informatieobjecttype=zgw.informatieobjecttype)
    assert client.post(retry_url).status_code == 302
    run_due()
    export.refresh_from_db()
    assert export.state == "sent" and export.run == 2
    assert len(zgw.state.documents) == 3
    assert AuditEvent.objects.filter(action="export.retried", actor_user=caseworker).exists()


def test_only_the_refused_document_fails(
    zgw: ZgwServer, zgw_target: ExportTarget, report: Report, photos: list[Any]
) -> None:
    # Another system already filed a different document under photo 2's identificatie.
    export = ready(report)
    clash = items(export)[2]
    zgw.state.documents["http://elsewhere/doc"] = {
        "url": "http://elsewhere/doc",
        "identificatie": clash.identificatie,
        "bronorganisatie": RSIN,
        "integriteit": {"algoritme": "sha_256", "waarde": "0" * 64, "datum": "2026-12-01"},
    }
    zgw.state.documents["http://elsewhere/doc"].update(
        {
            "creatiedatum": "2026-12-01",
            "titel": "Iets anders",
            "auteur": "X",
            "taal": "dut",
            "versie": 1,
            "beginRegistratie": "2026-12-01T10:00:00Z",
            "informatieobjecttype": zgw.informatieobjecttype,
            "locked": False,
            "bestandsdelen": [],
            "url": f"{zgw.documenten_url}/enkelvoudiginformatieobjecten/00000000-0000-4000-8000-000000000000",
        }
    )
    run_due()
    export.refresh_from_db()
    assert [item.state for item in items(export)] == ["sent", "sent", "failed"]
    assert "a different document with this identificatie" in items(export)[2].error
    assert export.state == "failed"


def test_wrong_secret_fails_with_a_clear_reason(
    process: Any, zgw: ZgwServer, report: Report
) -> None:
    make_zgw_target(process, zgw, secret="not-the-secret")
    export = ready(report)
    run_due()
    export.refresh_from_db()
    assert export.state == "failed"
    assert "refused the client id" in export.error and "HTTP 403" in export.error
    assert zgw.state.documents == {}


def test_missing_secret_environment_variable(
    process: Any, zgw: ZgwServer, report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VC_TEST_ZGW_SECRET", raising=False)
    make_zgw_target(process, zgw, secret=None, secret_env="VC_TEST_ZGW_SECRET")
    export = ready(report)
    run_due()
    export.refresh_from_db()
    assert export.state == "failed"
    assert "VC_TEST_ZGW_SECRET" in export.error
    assert zgw.state.received == []


def test_secret_from_environment_variable(
    process: Any, zgw: ZgwServer, report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VC_TEST_ZGW_SECRET", CLIENT_SECRET)
    make_zgw_target(process, zgw, secret=None, secret_env="VC_TEST_ZGW_SECRET")
    export = ready(report)
    run_due()
    export.refresh_from_db()
    assert export.state == "sent"


def test_unknown_zaak_fails(zgw: ZgwServer, zgw_target: ExportTarget, report: Report) -> None:
    report.visit.case_reference = "ZAAK-BESTAAT-NIET"
    report.visit.save(update_fields=["case_reference"])
    export = ready(report)
    run_due()
    export.refresh_from_db()
    assert export.state == "failed" and "ZAAK-BESTAAT-NIET" in export.error
    assert zgw.state.documents == {}


def test_visit_without_case_reference_fails(
    zgw: ZgwServer, zgw_target: ExportTarget, report: Report
) -> None:
    report.visit.case_reference = ""
    report.visit.save(update_fields=["case_reference"])
    export = ready(report)
    run_due()
    export.refresh_from_db()
    assert export.state == "failed" and "no case reference" in export.error
    assert zgw.state.received == []


def test_zaak_url_as_case_reference_needs_no_lookup(
    zgw: ZgwServer, zgw_target: ExportTarget, report: Report
) -> None:
    report.visit.case_reference = next(iter(zgw.state.zaken))
    report.visit.save(update_fields=["case_reference"])
    export = ready(report)
    run_due()
    export.refresh_from_db()
    assert export.state == "sent"
    assert not [r for r in zgw.state.received if r.path.endswith("/zaken")]


def test_incomplete_configuration_fails_without_calling_out(
    process: Any, zgw: ZgwServer, report: Report
) -> None:
    make_zgw_target(process, zgw, bronorganisatie="")
    export = ready(report)
    run_due()
    export.refresh_from_db()
    assert export.state == "failed" and "bronorganisatie is not set" in export.error
    assert zgw.state.received == []


def test_unreachable_api_retries_with_backoff_then_gives_up(
    process: Any, zgw: ZgwServer, report: Report, settings: Any
) -> None:
    settings.DOSSIER_MAX_ATTEMPTS = 3
    settings.DOSSIER_RETRY_BASE_SECONDS = 60
    # Nothing listens on port 9 of loopback: the connection is refused.
    make_zgw_target(
        process,
        zgw,
        documenten_url="http://127.0.0.1:9/documenten/api/v1",
        zaken_url="http://127.0.0.1:9/zaken/api/v1",
    )
    export = ready(report)
    start = timezone.now()
    run_due(now=start)
    export.refresh_from_db()
    job = Job.objects.get(kind="dossier.export")
    assert export.state == "retrying" and export.attempts == 1
    assert job.run_at == start + timedelta(seconds=60)
    run_due(now=start + timedelta(seconds=61))
    export.refresh_from_db()
    job.refresh_from_db()
    assert export.attempts == 2
    assert job.run_at == start + timedelta(seconds=61 + 120)  # doubled
    run_due(now=start + timedelta(hours=1))
    export.refresh_from_db()
    assert export.state == "failed" and "gave up after 3 attempts" in export.error
    assert export.attempts == 3  # the counter agrees with the message
    assert {item.state for item in items(export)} == {"failed"}


def test_request_the_real_api_would_refuse_is_caught_by_the_server(zgw: ZgwServer) -> None:
    """The test server itself: a document without the required `taal` is refused by the spec."""
    import httpx

    token = jwt.encode(
        {
            "iss": CLIENT_ID,
            "iat": 1,
            "client_id": CLIENT_ID,
            "user_id": "u",
            "user_representation": "U",
        },
        CLIENT_SECRET,
        algorithm="HS256",
    )
    body = {
        "bronorganisatie": RSIN,
        "creatiedatum": "2026-12-01",
        "titel": "x",
        "auteur": "y",
        "informatieobjecttype": zgw.informatieobjecttype,
        "inhoud": base64.b64encode(b"x").decode(),
    }
    response = httpx.post(
        zgw.documenten_url + "/enkelvoudiginformatieobjecten",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert any("taal" in v for v in zgw.state.violations)
    zaken = httpx.get(
        zgw.zaken_url + "/zaken",
        params={"identificatie": ZAAK_IDENTIFICATIE},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert zaken.status_code == 400  # no Accept-Crs header
    assert any("Accept-Crs" in v for v in zgw.state.violations)
    zgw.state.violations.clear()


def test_retry_view_checks_permission(
    zgw: ZgwServer, zgw_target: ExportTarget, report: Report, outsider: Any
) -> None:
    export = ready(report)
    Export.objects.filter(pk=export.pk).update(state="failed")
    client = Client()
    client.force_login(outsider)
    url = reverse("dossier:retry", kwargs={"visit_id": report.visit_id, "export_id": export.pk})
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    export.refresh_from_db()
    assert export.state == "failed" and export.run == 1


def test_report_ready_twice_starts_one_export(
    zgw: ZgwServer, zgw_target: ExportTarget, report: Report
) -> None:
    ready(report)
    report_ready.send(sender=Report, report=report)
    assert Export.objects.count() == 1 and Job.objects.filter(kind="dossier.export").count() == 1
    run_due()
    assert len(zgw.state.documents) == 3


def test_new_report_version_reuses_the_photos_already_filed(
    zgw: ZgwServer, zgw_target: ExportTarget, report: Report
) -> None:
    from tests.dossier.conftest import make_ready_report

    ready(report)
    run_due()
    second = make_ready_report(report.visit, number=2)
    ready(second)
    run_due()
    assert Export.objects.filter(state="sent").count() == 2
    identificaties = sorted(d["identificatie"] for d in zgw.state.documents.values())
    assert len(identificaties) == 4  # R1, R2, F1, F2: the photos were found, not filed again
    assert sum(i.endswith("-R2") for i in identificaties) == 1
    assert RetentionClock.objects.count() == 1


def test_photo_discarded_before_filing_is_not_sent(
    zgw: ZgwServer, zgw_target: ExportTarget, report: Report, photos: list[Any]
) -> None:
    from videocontact.evidence.models import Photo

    export = ready(report)
    Photo.objects.filter(pk=photos[1].pk).update(discarded_at=timezone.now())
    run_due()
    export.refresh_from_db()
    assert [item.state for item in items(export)] == ["sent", "sent", "failed"]
    assert "discarded" in items(export)[2].error
    assert len(zgw.state.documents) == 2
