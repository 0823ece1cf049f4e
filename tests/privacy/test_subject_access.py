"""Data-subject access: the privacy officer downloads everything held about a visit's resident."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.reports.conftest import ARABIC_FREE_TEXT, end_visit_with_content
from videocontact.accounts.models import Process, Role, Unit, User
from videocontact.jobs.services import run_due
from videocontact.notifications.models import Contact
from videocontact.privacy.models import AuditEvent
from videocontact.reports.demo import self_signed_material
from videocontact.reports.services import seal_certificate_store

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evidence_dir(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


def test_the_zip_holds_everything_about_the_resident(
    process: Process, caseworker: User, unit: Unit, django_capture_on_commit_callbacks: Any
) -> None:
    seal_certificate_store(
        organisation=unit.organisation, material=self_signed_material(unit.organisation.name)
    )
    visit, _ = factories.make_visit(process=process, caseworker=caseworker, resident_name="Amina")
    scenario = end_visit_with_content(visit, caseworker)
    Contact.objects.create(participant=scenario.resident, mobile="+31612345678")
    with django_capture_on_commit_callbacks(execute=True):
        run_due()
    officer = factories.make_user(unit=unit, role=Role.PRIVACY_OFFICER, username="fg")
    client = Client()
    client.force_login(officer)

    response = client.post(f"/staff/privacy/visits/{visit.id}/export")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"visit.json", "questionnaire.json", "audit.json", "signatures/1.png"} <= names
    assert {"photos/1.jpg", "photos/2.jpg", "reports/report-1.pdf"} <= names
    about = json.loads(archive.read("visit.json"))
    assert about["resident_name"] == "Amina"
    resident = next(p for p in about["participants"] if p["role"] == "resident")
    assert resident["contact"]["mobile"] == "+31612345678"
    assert resident["consents"][0]["decision"] == "accepted"
    answers = json.loads(archive.read("questionnaire.json"))["answers"]
    assert answers["who"] == ARABIC_FREE_TEXT
    assert archive.read("reports/report-1.pdf").startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="subject_access.exported", actor_user=officer).exists()
    assert AuditEvent.objects.filter(action="photo.read", actor_user=officer).count() == 2

    other = Client()
    other.force_login(caseworker)
    assert other.post(f"/staff/privacy/visits/{visit.id}/export").status_code == 404
