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
from playwright.sync_api import expect

from tests.notifications.fakes import CmServer

from .helpers import (
    SCREENSHOT_DIR,
    axe_check,
    lobby_entry,
    off_loop,
    page_text,
    screenshot,
    wait_in_call,
    waiting_room,
)

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
    wait_in_call(staff)

    page = browsers.resident()
    page.goto(setup.resident.link)
    # The code comes first: the link alone can neither consent nor decline for the resident.
    page.wait_for_url(re.compile(rf"/v/{setup.visit.id}/code$"))
    code_field = page.get_by_label(page_text(page, "Code (6 digits)"), exact=True)
    code_field.wait_for(state="visible")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vul uw code in")
    lead = page.get_by_text(re.compile("code van 6 cijfers")).inner_text()
    assert "+31 •••• 5678" in lead
    axe_check(page, "code page")
    screenshot(page, "resident-code")

    code = wait_for_code(cm_server, 1)
    wrong = "000000" if code != "000000" else "111111"
    go_on = page.get_by_role("button", name=page_text(page, "Continue"), exact=True)
    code_field.fill(wrong)
    go_on.click()
    expect(page.get_by_role("status")).to_contain_text(
        "Deze code klopt niet. U kunt het nog 4 keer proberen."
    )
    expect(code_field).to_have_attribute("aria-invalid", "true")
    axe_check(page, "code page with an error")
    screenshot(page, "resident-code-wrong")

    # The caseworker sees that the resident is at the code step, with the tries used.
    roster = staff.get_by_role("list", name=page_text(staff, "Participants"), exact=True)
    roster_entry = roster.get_by_role("listitem").filter(
        has_text=setup.resident.participant.display_name
    )
    expect(roster_entry).to_contain_text("1 van 5 pogingen")

    code_field.fill(code)
    go_on.click()
    page.wait_for_url(re.compile(rf"/v/{setup.visit.id}/consent$"))
    page.get_by_role("button", name=page_text(page, "Yes, I want to start the video call")).click()
    page.wait_for_url(re.compile(rf"/v/{setup.visit.id}/check$"))
    page.get_by_role("link", name=page_text(page, "Go to the waiting room")).click()
    page.wait_for_url(re.compile(rf"/v/{setup.visit.id}/call$"))
    waiting_room(page).wait_for(state="visible")
    lobby_entry(staff, setup.resident.participant).wait_for(state="visible")


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
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Uw videogesprek is nog niet begonnen"
    )
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
    panel = staff.get_by_role(
        "region", name=page_text(staff, "Messages to participants"), exact=True
    )
    sent = panel.get_by_role("list", name=page_text(staff, "Sent messages"), exact=True)
    sent.get_by_role("listitem").first.wait_for(state="visible")
    # The whole panel at phone width: contacts, send buttons, delivery status (forms in dialogs).
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    panel.screenshot(
        path=str(SCREENSHOT_DIR / "staff-visit-notifications.png"), animations="disabled"
    )
