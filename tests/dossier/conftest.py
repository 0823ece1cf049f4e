"""Fixtures for the export tests: a ready report with photos, and a ZGW server on loopback."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from tests.dossier.zgw_server import ZgwServer
from tests.evidence.test_hygiene import jpeg
from videocontact.accounts.models import Process, User
from videocontact.dossier.models import ExportTarget, TargetKind
from videocontact.dossier.services import target_save
from videocontact.evidence import services as evidence_services
from videocontact.evidence import vault
from videocontact.evidence.models import Photo
from videocontact.reports.models import Report, ReportState
from videocontact.visits.models import Visit

CLIENT_ID = "open-videocontact-test"
CLIENT_SECRET = "a-long-shared-secret-for-the-test-zgw-api"
RSIN = "002220647"  # passes the 11-test (a VNG example RSIN)
ZAAK_IDENTIFICATIE = "ZAAK-2026-0000123"


def tiny_pdf(text: str = "verslag") -> bytes:
    """A small valid PDF (Pillow writes a one-page PDF from an image)."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (255, 255, 255)).save(buffer, "PDF", title=text)
    return buffer.getvalue()


def make_ready_report(visit: Visit, *, number: int = 1, data: bytes | None = None) -> Report:
    data = data or tiny_pdf(f"verslag {number}")
    sealed = vault.seal(data, prefix=f"reports/{visit.id}")
    return Report.objects.create(
        visit=visit,
        number=number,
        state=ReportState.READY,
        ready_at=timezone.now(),
        blob_name=sealed.name,
        key_id=sealed.key_id,
        sha256=sealed.sha256,
        size=sealed.size,
        sealed=True,
    )


@pytest.fixture(autouse=True)
def _own_evidence_dir(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.DOSSIER_HTTP_TIMEOUT = 5.0


@pytest.fixture(scope="session")
def zgw_server() -> Iterator[ZgwServer]:
    server = ZgwServer(client_id=CLIENT_ID, secret=CLIENT_SECRET).start()
    yield server
    server.stop()


@pytest.fixture
def zgw(zgw_server: ZgwServer) -> Iterator[ZgwServer]:
    """The server, emptied, with one zaak. After the test: no request or response broke the
    specs (tests that expect a refused request clear `violations` themselves)."""
    zgw_server.reset()
    zgw_server.add_zaak(identificatie=ZAAK_IDENTIFICATIE, bronorganisatie=RSIN)
    yield zgw_server
    assert zgw_server.state.violations == [], "\n".join(zgw_server.state.violations)


@pytest.fixture
def case_visit(visit: Visit) -> Visit:
    visit.case_reference = ZAAK_IDENTIFICATIE
    visit.started_at = timezone.now()
    visit.save(update_fields=["case_reference", "started_at"])
    return visit


@pytest.fixture
def photos(case_visit: Visit, caseworker: User) -> list[Photo]:
    first = evidence_services.photo_store(
        visit=case_visit, data=jpeg(64, 48), requested_by=caseworker, captured_by=None
    )
    second = evidence_services.photo_store(
        visit=case_visit, data=jpeg(80, 60), requested_by=caseworker, captured_by=None
    )
    Photo.objects.filter(pk=first.pk).update(caption="Schimmel in de badkamer")
    first.refresh_from_db()
    return [first, second]


@pytest.fixture
def report(case_visit: Visit, photos: list[Photo]) -> Report:
    return make_ready_report(case_visit)


def make_zgw_target(process: Process, server: ZgwServer, **overrides: Any) -> ExportTarget:
    secret = overrides.pop("secret", CLIENT_SECRET)
    fields: dict[str, Any] = {
        "process": process,
        "kind": TargetKind.ZGW,
        "name": "Zaaksysteem",
        "documenten_url": server.documenten_url,
        "zaken_url": server.zaken_url,
        "client_id": CLIENT_ID,
        "bronorganisatie": RSIN,
        "informatieobjecttype": server.informatieobjecttype,
        "vertrouwelijkheidaanduiding": "vertrouwelijk",
        **overrides,
    }
    return target_save(target=ExportTarget(**fields), secret=secret, by_user=None)


@pytest.fixture
def zgw_target(process: Process, zgw: ZgwServer) -> ExportTarget:
    return make_zgw_target(process, zgw)
