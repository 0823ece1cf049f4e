"""Results through the API: answers with the signature hash, photos, the sealed report, export
state. Every read of evidence is audited with the client as its purpose."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.api.conftest import Caller
from tests.reports.conftest import end_visit_with_content, pdfsig
from videocontact.accounts.models import Organisation, Process, User
from videocontact.jobs.services import run_due
from videocontact.privacy.models import AuditEvent
from videocontact.reports.demo import self_signed_material
from videocontact.reports.services import seal_certificate_store

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_evidence_dir(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def ended(organisation: Organisation, process: Process, caseworker: User) -> Any:
    from tests import factories

    seal_certificate_store(
        organisation=organisation, material=self_signed_material(organisation.name)
    )
    visit, _ = factories.make_visit(process=process, caseworker=caseworker, resident_language="ar")
    scenario = end_visit_with_content(visit, caseworker)
    run_due(now=timezone.now() + timedelta(seconds=5))  # builds the report
    return scenario


def test_answers_photos_and_the_sealed_report(caller: Caller, ended: Any, tmp_path: Path) -> None:
    base = f"/api/v1/visits/{ended.visit.id}"
    visit = caller.get(base).json()
    assert visit["state"] == "ended"

    answers = caller.get(f"{base}/answers").json()
    assert answers["answers"]["household"] == 3
    signature = answers["signature"]
    assert signature["sha256"] == ended.signature.sha256
    assert hashlib.sha256(signature["canonical"].encode()).hexdigest() == signature["sha256"]

    photos = caller.get(f"{base}/photos").json()
    assert {p["id"] for p in photos} == {str(p.id) for p in ended.photos}
    image = caller.get(f"{base}/photos/{photos[0]['id']}")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert hashlib.sha256(image.content).hexdigest() == photos[0]["sha256"]
    discarded = caller.get(f"{base}/photos/{ended.discarded.id}")
    assert discarded.status_code == 404

    reports = caller.get(f"{base}/reports").json()
    assert [r["state"] for r in reports] == ["ready"]
    pdf = caller.get(f"{base}/reports/{reports[0]['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() == reports[0]["sha256"]
    assert "Signature #1" in pdfsig(pdf.content, tmp_path)

    purpose = f"api:{caller.client.client_id}"
    reads = AuditEvent.objects.filter(visit_id=ended.visit.id, data__purpose=purpose)
    assert set(reads.values_list("action", flat=True)) == {
        "answers.read",
        "photo.read",
        "report.read",
    }
    assert caller.get(f"{base}/exports").json() == []


def test_answers_of_a_visit_without_questionnaire_are_a_404(
    caller: Caller, process: Process, caseworker: User
) -> None:
    from tests import factories

    visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    response = caller.get(f"/api/v1/visits/{visit.id}/answers")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
