"""The questionnaire on a phone with several people in the call (resident, caseworker and an
interpreter): the video tiles stay visible and the signature pad and "Ondertekenen" are on the
screen without scrolling inside a scrolling panel."""

from __future__ import annotations

from playwright.sync_api import expect

from videocontact.visits.services import guest_add

from .conftest import Invited
from .helpers import (
    MEDIA_TIMEOUT_MS,
    admit,
    axe_check,
    off_loop,
    resident_reaches_waiting_room,
    screenshot,
    wait_remote_videos,
    wait_visible,
)
from .test_questionnaire import use_test_template


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
    )


def test_signing_on_a_phone_with_three_in_the_call(browsers, make_visit, demo, live_server_url):
    use_test_template(demo.processes["bijstand-aanvraag"])
    setup = make_visit(resident_name="Sara Haddad")
    guest, issued = off_loop(
        guest_add,
        visit=setup.visit,
        by_user=setup.caseworker,
        role="interpreter",
        display_name="Ahmed Karimi",
        language="nl",
    )
    interpreter_invite = Invited(guest, issued.token, f"{live_server_url}/j/{issued.token}")
    resident = browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident)
    interpreter = browsers.resident("interpreter")
    resident_reaches_waiting_room(interpreter, interpreter_invite)
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_visible(staff, "#vc-call", timeout=MEDIA_TIMEOUT_MS)
    admit(staff, setup.resident.participant)
    admit(staff, guest)
    wait_remote_videos(resident, 2)

    staff.click("#vc-form-start")
    form = resident.locator("#vc-form")
    form.wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    resident.locator('#vc-form [data-question="naam"] input').fill("Sara Haddad")
    resident.locator('#vc-form [data-question="samen"] input[value="false"]').check()
    resident.locator('#vc-form [data-question="kamers"] input').fill("3")
    # While filling in, the others stay visible.
    for tile in resident.locator("#vc-videos .tile").all():
        expect(tile).to_be_visible()
    screenshot(resident, "resident-form-three-in-call")

    resident.locator("#vc-form .form-sheet__actions .button--primary").first.click()
    resident.locator('.form-view[data-view="review"] .button--primary').click()
    pad = resident.locator(".form-pad__canvas")
    pad.wait_for(state="visible")
    sign = resident.locator('.form-view[data-view="sign"] .form-sheet__actions .button--primary')
    assert in_viewport(resident, pad), pad.bounding_box()
    assert in_viewport(resident, sign), sign.bounding_box()
    axe_check(resident, "signing with three in the call")
    screenshot(resident, "resident-sign-three-in-call")
