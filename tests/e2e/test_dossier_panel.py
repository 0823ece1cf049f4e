"""The case-file panel in a real browser: a report filed into a (local, spec-validating) ZGW
server by the background worker, a target that refuses, and "Opnieuw proberen" after the fix."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

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

from .helpers import page_text, screenshot

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


def dossier(page: Any) -> Any:
    """The case-file panel of the visit page (a region named by its heading)."""
    return page.get_by_role("region", name=page_text(page, "Case file"), exact=True)


def target(page: Any, name: str) -> Any:
    """One export target in the panel: a region named "<name> · <kind>"."""
    return dossier(page).get_by_role("region", name=re.compile(rf"^{re.escape(name)} "))


def export_state(page: Any, name: str) -> str:
    """The state the caseworker reads first under the target's heading ("Verzonden", ...)."""
    return target(page, name).get_by_role("paragraph").first.inner_text()


def items_in(page: Any, name: str, state: str) -> Any:
    """The target's documents (report, photo 1, ...) that show this state."""
    return target(page, name).get_by_role("listitem").filter(has_text=page_text(page, state))


def wait_until(page: Any, path: str, done: Callable[[], bool], what: str, timeout: float = 30):
    """Reload the visit page until the background worker has got this far (the page is the
    caseworker's view of it; polling the ORM from here would compete with the worker)."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(path)
        if done():
            return
        assert time.monotonic() < deadline, f"never: {what}"
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
    sent, failed = page_text(page, "Sent"), page_text(page, "Failed")

    def both_done() -> bool:
        states = [export_state(page, name).split(" ")[0] for name in ("Zaaksysteem", "Archief")]
        return all(state in (sent, failed) for state in states)

    wait_until(page, path, both_done, "both exports sent or failed")
    assert export_state(page, "Zaaksysteem").startswith(sent)
    assert export_state(page, "Archief").startswith(failed)
    panel = dossier(page)
    panel.scroll_into_view_if_needed()
    expect(items_in(page, "Zaaksysteem", "Sent")).to_have_count(3)
    expect(items_in(page, "Archief", "Failed")).to_have_count(3)
    assert "bekend informatieobjecttype" in panel.inner_text()
    assert "3 van de 3 zijn niet aangenomen." in panel.inner_text()
    screenshot(page, "caseworker-dossier-panel")

    ExportTarget.objects.filter(pk=broken.pk).update(informatieobjecttype=zgw.informatieobjecttype)
    with page.expect_navigation():
        panel.get_by_role("button", name="Opnieuw proberen").click()
    wait_until(
        page,
        path,
        lambda: export_state(page, "Archief").startswith(sent),
        "the second export sent after the retry",
    )
    expect(items_in(page, "Zaaksysteem", "Sent")).to_have_count(3)
    expect(items_in(page, "Archief", "Sent")).to_have_count(3)
    assert Export.objects.filter(state="sent").count() == 2
    assert len(zgw.state.documents) == 6 and len(zgw.state.links) == 6
    assert "De gegevens van dit gesprek worden na" in dossier(page).inner_text()
