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
    call_stage,
    call_string,
    off_loop,
    resident_reaches_waiting_room,
    screenshot,
    wait_in_call,
    wait_remote_videos,
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
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    admit(staff, guest)
    wait_remote_videos(resident, 2)

    staff.get_by_role("button", name=call_string(staff, "formStart")).click()
    form = resident.get_by_role("region", name="Huisbezoek", exact=True)
    form.wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    form.get_by_role("textbox", name="Uw naam").fill("Sara Haddad")
    others = form.get_by_role("group", name="Woont er nog iemand?")
    others.get_by_role("radio", name=call_string(resident, "fw.nl.no"), exact=True).check()
    form.get_by_role("textbox", name="Aantal kamers").fill("3")
    # While filling in, the others stay visible (three video tiles: one's own and two more).
    tiles = call_stage(resident).get_by_role("figure")
    expect(tiles).to_have_count(3)
    for tile in tiles.all():
        expect(tile).to_be_visible()
    screenshot(resident, "resident-form-three-in-call")

    form.get_by_role("button", name=call_string(resident, "formReview"), exact=True).click()
    form.get_by_role("button", name=call_string(resident, "formToSign"), exact=True).click()
    pad = form.get_by_role("img", name=call_string(resident, "formSignBox"))
    pad.wait_for(state="visible")
    sign = form.get_by_role("button", name=call_string(resident, "formSign"), exact=True)
    assert in_viewport(resident, pad), pad.bounding_box()
    assert in_viewport(resident, sign), sign.bounding_box()
    axe_check(resident, "signing with three in the call")
    screenshot(resident, "resident-sign-three-in-call")
