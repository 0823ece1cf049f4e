"""The case-file panel in a real browser: a report filed into a (local, spec-validating) ZGW
server by the background worker, a target that refuses, and "Opnieuw proberen" after the fix."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.dossier.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    RSIN,
    ZAAK_IDENTIFICATIE,
    make_ready_report,
    make_zgw_target,
)
from tests.dossier.zgw_server import ZgwServer
from tests.evidence.test_hygiene import jpeg

from .helpers import screenshot

PHONE = {"width": 390, "height": 844}
OTHER_RSIN = "123456782"  # a second organisation: its own documents, the same zaak number


@pytest.fixture
def zgw() -> Iterator[ZgwServer]:
    server = ZgwServer(client_id=CLIENT_ID, secret=CLIENT_SECRET).start()
    server.add_zaak(identificatie=ZAAK_IDENTIFICATIE, bronorganisatie=RSIN)
    server.add_zaak(identificatie=ZAAK_IDENTIFICATIE, bronorganisatie=OTHER_RSIN)
    yield server
    server.stop()
    assert server.state.violations == [], "\n".join(server.state.violations)


def wait_for_items(page: Any, path: str, selector: str, count: int, timeout: float = 30) -> None:
    """Reload the visit page until the background worker has got this far (the page is the
    caseworker's view of it; polling the ORM from here would compete with the worker)."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(path)
        if page.locator(selector).count() == count:
            return
        assert time.monotonic() < deadline, f"{selector} never reached {count}"
        time.sleep(0.3)


def test_export_status_and_retry_on_the_visit_page(
    browsers: Any, make_visit: Any, zgw: ZgwServer
) -> None:
    from videocontact.dossier.models import Export, ExportTarget
    from videocontact.evidence.services import photo_store
    from videocontact.reports.models import Report
    from videocontact.reports.signals import report_ready

    setup = make_visit(case_reference=ZAAK_IDENTIFICATIE)
    process = setup.visit.process
    make_zgw_target(process, zgw, name="Zaaksysteem")
    broken = make_zgw_target(
        process,
        zgw,
        name="Archief",
        bronorganisatie=OTHER_RSIN,
        informatieobjecttype=f"{zgw.base}/catalogi/api/v1/informatieobjecttypen/onbekend",
    )
    for size in ((64, 48), (80, 60)):
        photo_store(
            visit=setup.visit, data=jpeg(*size), requested_by=setup.caseworker, captured_by=None
        )
    report = make_ready_report(setup.visit)
    report_ready.send(sender=Report, report=report)

    page = browsers.staff(setup.caseworker)
    page.set_viewport_size(PHONE)
    path = f"/staff/visits/{setup.visit.id}/"
    done = '#dossier [data-export-state="sent"], #dossier [data-export-state="failed"]'
    wait_for_items(page, path, done, 2)
    panel = page.locator("#dossier")
    panel.scroll_into_view_if_needed()
    assert panel.locator('[data-state="sent"]').count() == 3
    assert panel.locator('[data-state="failed"]').count() == 3
    assert "bekend informatieobjecttype" in panel.inner_text()
    assert "3 van de 3 zijn niet aangenomen." in panel.inner_text()
    screenshot(page, "caseworker-dossier-panel")

    ExportTarget.objects.filter(pk=broken.pk).update(informatieobjecttype=zgw.informatieobjecttype)
    with page.expect_navigation():
        panel.get_by_role("button", name="Opnieuw proberen").click()
    wait_for_items(page, path, '#dossier [data-export-state="sent"]', 2)
    assert page.locator('#dossier [data-state="sent"]').count() == 6
    assert Export.objects.filter(state="sent").count() == 2
    assert len(zgw.state.documents) == 6 and len(zgw.state.links) == 6
    assert "De gegevens van dit gesprek worden na" in page.locator("#dossier").inner_text()
