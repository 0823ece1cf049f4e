"""The DPIA-gated location check, end to end: the privacy officer has an approved DPIA and has
switched the module on; in the call the caseworker asks; the resident (in Arabic, right to left)
is asked in their own language and says yes; Chromium's geolocation (a fake position set on the
browser context) goes to the server once; the caseworker sees the distance to the registered
address, which the server geocoded through a local server speaking PDOK Locatieserver's format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.checks.pdok import PdokServer, free_url, pdok_server
from videocontact.accounts.models import Role
from videocontact.checks.models import LocationCheck
from videocontact.privacy.models import AuditEvent, Dpia, DpiaStatus
from videocontact.privacy.modules import module_switch

from .helpers import (
    MEDIA_TIMEOUT_MS,
    admit,
    axe_check,
    call_stage,
    page_text,
    resident_reaches_waiting_room,
    screenshot,
    wait_in_call,
)

ADDRESS = "Rivierweg 111, Capelle aan den IJssel"
NEARBY = {"latitude": 51.91255, "longitude": 4.58200, "accuracy": 12}


@pytest.fixture
def pdok(settings: Any) -> Iterator[PdokServer]:
    with pdok_server() as server:
        settings.CHECKS_GEOCODER = "pdok"
        settings.CHECKS_PDOK_URL = free_url(server)
        yield server


def switch_on(process: Any) -> None:
    organisation = process.unit.organisation
    Dpia.objects.create(
        organisation=organisation,
        title="Locatiecontrole bij huisbezoek op afstand",
        processing="Afstand tot het BRP-adres, met toestemming",
        module="location-check",
        status=DpiaStatus.APPROVED,
        document_reference="DPIA-2026-07",
        decided_at=date(2026, 11, 1),
    )
    officer = factories.make_user(unit=process.unit, role=Role.PRIVACY_OFFICER)
    module_switch(organisation=organisation, module="location-check", enabled=True, by_user=officer)


def checks_string(page: Any, key: str) -> str:
    return page.evaluate(
        "key => JSON.parse(document.getElementById('vc-checks-config').textContent).strings[key]",
        key,
    )


def test_caseworker_sees_the_distance_after_the_resident_consents(browsers, make_visit, pdok):
    setup = make_visit(resident_name="Mona Saleh", resident_language="ar")
    switch_on(setup.visit.process)
    resident = browsers.resident()
    resident.context.grant_permissions(["camera", "microphone", "geolocation"])
    resident.context.set_geolocation(NEARBY)
    resident_reaches_waiting_room(resident, setup.resident)

    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_in_call(resident)

    panel = staff.get_by_role("region", name=page_text(staff, "Location check"), exact=True)
    panel.get_by_label(checks_string(staff, "locAddress")).fill(ADDRESS)
    panel.get_by_role("button", name=checks_string(staff, "locAskButton")).click()
    expect(panel.get_by_role("status")).to_have_text(
        checks_string(staff, "locAsked"), timeout=MEDIA_TIMEOUT_MS
    )

    # The resident is asked, in Arabic, before anything is shared.
    assert resident.locator("html").get_attribute("dir") == "rtl"
    question = resident.get_by_role("alertdialog", name=checks_string(resident, "locTitle"))
    expect(question).to_be_visible(timeout=MEDIA_TIMEOUT_MS)
    expect(question).to_contain_text("يريد الموظف التحقق")
    expect(question).to_contain_text(checks_string(resident, "locKeepNo"))
    assert not LocationCheck.objects.filter(state="done").exists()
    axe_check(resident, "resident asked for the location")
    screenshot(resident, "location-check-1-ask-ar")
    question.get_by_role("button", name=checks_string(resident, "locYes")).click()
    expect(
        call_stage(resident)
        .get_by_role("status")
        .filter(has_text=checks_string(resident, "locShared"))
    ).to_be_visible(timeout=MEDIA_TIMEOUT_MS)

    # The caseworker sees the distance (about 33 m) and the outcome.
    status = panel.get_by_role("status")
    expect(status).to_contain_text(
        checks_string(staff, "locOutcome.at_address"), timeout=MEDIA_TIMEOUT_MS
    )
    check = LocationCheck.objects.get(visit=setup.visit)
    assert 25 <= check.distance_m <= 40
    assert check.latitude is None and check.longitude is None
    expect(status).to_contain_text(f"{check.distance_m} m")
    expect(panel).to_contain_text("Rivierweg 111, 2903AR Capelle aan den IJssel")
    screenshot(staff, "location-check-2-distance")
    assert AuditEvent.objects.filter(action="location_check.done", object_id=str(check.id)).exists()
    # The geocoder was asked for the address only.
    assert [r["q"] for r in pdok.requests] == [[ADDRESS]]
    axe_check(resident, "resident after sharing the location")


def test_off_the_page_has_no_location_check(browsers, make_visit, pdok):
    setup = make_visit(resident_name="Jan Uit")
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    expect(staff.get_by_role("region", name=page_text(staff, "Location check"))).to_have_count(0)
    assert staff.locator("#vc-checks-config").count() == 0
