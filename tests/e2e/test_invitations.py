"""Browser: the two-channel join. The resident opens the link, says yes, gets a 6-digit code by
SMS (a local CM.com API server receives it), types a wrong code and then the right one, and
reaches the waiting room. The caseworker's lobby shows where the resident is. Pages pass axe."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.notifications.fakes import CmServer

from .helpers import SCREENSHOT_DIR, axe_check, off_loop, screenshot, wait_visible

MOBILE = "+31612345678"


@pytest.fixture
def cm_server(settings: Any, live_server_url: str) -> Iterator[CmServer]:
    server = CmServer().start()
    settings.SMS_BACKEND = "cm"
    settings.CM_ENDPOINT = server.url
    settings.CM_PRODUCT_TOKEN = server.product_token
    settings.SMS_SENDER = "Voorbeeld"
    settings.PUBLIC_BASE_URL = live_server_url
    yield server
    server.stop()


def wait_for_code(server: CmServer, count: int, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = server.texts_to(MOBILE)
        if len(texts) >= count:
            found = re.search(r"\b(\d{6})\b", texts[count - 1])
            assert found, texts[count - 1]
            return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no SMS number {count} arrived at the CM server")


def test_resident_enters_the_sms_code_and_reaches_the_waiting_room(
    browsers: Any, make_visit: Any, cm_server: CmServer
) -> None:
    from videocontact.notifications.models import MessagingSettings
    from videocontact.notifications.services import contact_save

    setup = make_visit(resident_name="Code Invuller")
    MessagingSettings.objects.update_or_create(
        process=setup.visit.process, defaults={"require_sms_code": True}
    )
    contact_save(
        participant=setup.resident.participant,
        email="",
        mobile=MOBILE,
        language="nl",
        by_user=setup.caseworker,
    )
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_visible(staff, "#vc-roster")

    page = browsers.resident()
    page.goto(setup.resident.link)
    # The code comes first: the link alone can neither consent nor decline for the resident.
    page.wait_for_url(re.compile(rf"/v/{setup.visit.id}/code$"))
    wait_visible(page, "#code")
    assert page.locator("h1").inner_text() == "Vul uw code in"
    lead = page.locator("p.lead").inner_text()
    assert "code van 6 cijfers" in lead and "+31 •••• 5678" in lead
    axe_check(page, "code page")
    screenshot(page, "resident-code")

    code = wait_for_code(cm_server, 1)
    wrong = "000000" if code != "000000" else "111111"
    page.fill("#code", wrong)
    page.click("button[name=action][value=verify]")
    wait_visible(page, "#code-status .error")
    assert "Deze code klopt niet. U kunt het nog 4 keer proberen." in page.inner_text(
        "#code-status"
    )
    assert page.get_attribute("#code", "aria-invalid") == "true"
    axe_check(page, "code page with an error")
    screenshot(page, "resident-code-wrong")

    # The caseworker sees that the resident is at the code step, with the tries used.
    roster_note = staff.locator('#vc-roster .lobby__code[data-code-state="waiting"]')
    roster_note.wait_for(state="visible")
    assert "1 van 5 pogingen" in roster_note.inner_text()

    page.fill("#code", code)
    page.click("button[name=action][value=verify]")
    page.wait_for_url(re.compile(rf"/v/{setup.visit.id}/consent$"))
    page.click("button[name=decision][value=accept]")
    page.wait_for_url(re.compile(rf"/v/{setup.visit.id}/check$"))
    wait_visible(page, "#check-continue")
    page.click("#check-continue")
    page.wait_for_url(re.compile(rf"/v/{setup.visit.id}/call$"))
    wait_visible(page, "#vc-waiting")
    staff.locator(f'#vc-lobby li[data-participant-id="{setup.resident.participant.id}"]').wait_for(
        state="visible"
    )


def test_link_not_open_yet_and_the_visit_page_panel(
    browsers: Any, make_visit: Any, live_server_url: str, settings: Any
) -> None:
    from django.utils import timezone

    from videocontact.notifications.services import contact_save, invitation_send

    settings.PUBLIC_BASE_URL = live_server_url
    when = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    setup = make_visit(resident_name="Te Vroeg", scheduled_at=when)
    page = browsers.resident()
    response = page.goto(setup.resident.link)
    assert response is not None and response.status == 200
    wait_visible(page, "h1")
    assert page.locator("h1").inner_text() == "Uw videogesprek is nog niet begonnen"
    axe_check(page, "link not open yet")
    screenshot(page, "resident-link-not-yet")

    contact_save(
        participant=setup.resident.participant,
        email="te.vroeg@example.nl",
        mobile="",
        language="nl",
        by_user=setup.caseworker,
    )
    off_loop(
        invitation_send,
        participant=setup.resident.participant,
        channels=["email"],
        by_user=setup.caseworker,
    )
    staff = browsers.staff(setup.caseworker)
    staff.set_viewport_size({"width": 390, "height": 844})
    staff.goto(f"/staff/visits/{setup.visit.id}/")
    wait_visible(staff, "#notifications-title")
    staff.locator(".notify__log li").first.wait_for(state="visible")
    # The whole panel at phone width: contacts, send buttons, delivery status (forms in dialogs).
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    staff.locator("section.notify").screenshot(
        path=str(SCREENSHOT_DIR / "staff-visit-notifications.png"), animations="disabled"
    )
