"""Guests in a real call: the caseworker adds an interpreter on the visit page, the interpreter
and the resident each come in through their own link and consent, the caseworker lets both in,
and everyone sees everyone's role. Removing the interpreter takes them out at once."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from videocontact.visits.models import ParticipantState

from .conftest import Invited
from .helpers import (
    MEDIA_TIMEOUT_MS,
    UUID,
    admit,
    assert_video_flowing,
    axe_check,
    call_stage,
    call_string,
    page_text,
    remote_tiles,
    resident_reaches_waiting_room,
    screenshot,
    wait_in_call,
    wait_remote_videos,
)


def caption_of(page, name: str) -> str:
    tile = remote_tiles(page).filter(has_text=name)
    tile.wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    return tile.inner_text()


def own_tile(page):
    """One's own video tile: the figure around "Uw camerabeeld", named by its caption."""
    own = page.get_by_label(page_text(page, "Your camera image"), exact=True)
    return call_stage(page).get_by_role("figure").filter(has=own)


def add_guest_dialog(page):
    page.get_by_role("button", name=page_text(page, "Add a guest"), exact=True).click()
    return page.get_by_role("dialog", name=page_text(page, "Add a guest"), exact=True)


def test_interpreter_and_resident_both_join_and_see_each_others_role(browsers, make_visit):
    setup = make_visit(resident_name="Jan de Boer")

    # The caseworker adds an interpreter on the visit page and gets their link once.
    staff_visit = browsers.staff(setup.caseworker, label="staff-visit")
    staff_visit.goto(f"/staff/visits/{setup.visit.id}/")
    dialog = add_guest_dialog(staff_visit)
    role = page_text(staff_visit, "Interpreter")
    dialog.get_by_role("radio", name=role, exact=True).check()
    dialog.get_by_label(page_text(staff_visit, "Name of the guest")).fill("Ahmed Karimi")
    dialog.get_by_label(page_text(staff_visit, "Language the guest speaks")).select_option("nl")
    with staff_visit.expect_navigation():
        dialog.get_by_role("button", name=page_text(staff_visit, "Add guest"), exact=True).click()
    link = staff_visit.get_by_label(page_text(staff_visit, "Invitation link")).input_value()
    assert re.search(r"/j/[A-Za-z0-9_-]{20,}$", link), link
    expect(staff_visit.get_by_role("heading", name=f"Ahmed Karimi ({role})")).to_be_visible()
    qr = page_text(staff_visit, "Or let the guest scan this QR code.")
    expect(staff_visit.get_by_role("figure", name=qr)).to_be_visible()
    screenshot(staff_visit, "caseworker-guest-link")
    people = staff_visit.get_by_role("region", name=page_text(staff_visit, "People"), exact=True)
    people.scroll_into_view_if_needed()
    screenshot(staff_visit, "caseworker-guests")
    interpreter_participant = setup.visit.participants.get(role="interpreter")
    interpreter_invite = Invited(interpreter_participant, link.rsplit("/j/", 1)[1], link)

    # Both come in through their own link, consent and device check, and wait.
    resident = browsers.resident("resident")
    resident_reaches_waiting_room(resident, setup.resident)
    interpreter = browsers.resident("interpreter")
    interpreter.goto(interpreter_invite.link)
    interpreter.wait_for_url(re.compile(rf"/v/{UUID}/consent$"))
    # The interpreter's consent is about taking part, not about the resident's data.
    consent_text = interpreter.get_by_role("main").inner_text()
    assert "Jan de Boer" not in consent_text
    axe_check(interpreter, "interpreter consent")
    screenshot(interpreter, "interpreter-1-consent")
    resident_reaches_waiting_room(interpreter, interpreter_invite)

    # The caseworker lets both in from the waiting room.
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    admit(staff, interpreter_participant)
    for page in (resident, interpreter):
        wait_in_call(page)
    for page in (resident, interpreter, staff):
        wait_remote_videos(page, 2)
    for page in (resident, interpreter, staff):
        assert_video_flowing(page, peers=2)

    # Each sees the other's role, on the video tile and in the list of who is in the call.
    role_interpreter = call_string(resident, "roleInterpreter")
    role_resident = call_string(interpreter, "roleResident")
    role_caseworker = call_string(resident, "roleCaseworker")
    assert role_interpreter == "Tolk"  # Dutch, B1
    assert caption_of(resident, "Ahmed Karimi").startswith(f"Ahmed Karimi · {role_interpreter}")
    assert caption_of(interpreter, "Jan de Boer").startswith(f"Jan de Boer · {role_resident}")
    assert role_caseworker in caption_of(interpreter, role_caseworker)
    you = call_string(resident, "you")
    expect(own_tile(resident)).to_have_text(f"{you} · {call_string(resident, 'roleResident')}")
    expect(own_tile(interpreter)).to_have_text(f"{you} · {role_interpreter}")
    for page, other in (
        (resident, f"Ahmed Karimi · {role_interpreter}"),
        (interpreter, f"Jan de Boer · {role_resident}"),
    ):
        who = page_text(page, "Who is in the call")
        page.get_by_text(who, exact=True).click()  # opens the <details>
        in_call = page.get_by_role("list", name=who, exact=True).get_by_role("listitem")
        expect(in_call.filter(has_text=other)).to_have_count(1)
        expect(in_call).to_have_count(3)
    axe_check(resident, "resident in a call with an interpreter")
    screenshot(resident, "resident-call-with-interpreter")
    screenshot(interpreter, "interpreter-2-call")

    # Removing the interpreter on the visit page takes them out of the call.
    staff_visit.goto(f"/staff/visits/{setup.visit.id}/")
    with staff_visit.expect_navigation():
        remove = re.compile(rf"^{page_text(staff_visit, 'Remove')}\s*:\s*Ahmed Karimi$")
        staff_visit.get_by_role("button", name=remove).click()
    removed = call_string(interpreter, "removed")
    expect(interpreter.get_by_role("heading", name=removed, exact=True)).to_be_visible(
        timeout=MEDIA_TIMEOUT_MS
    )
    wait_remote_videos(resident, 1)
    interpreter_participant.refresh_from_db()
    assert interpreter_participant.removed_at is not None
    assert interpreter_participant.state == ParticipantState.LEFT
    # The link no longer works.
    response = interpreter.goto(interpreter_invite.link)
    assert response is not None and response.status == 410


def test_second_caseworker_joins_from_their_own_dashboard(browsers, make_visit, demo):
    setup = make_visit(resident_name="Piet Jansen")
    colleague = demo.users["collega"]

    staff = browsers.staff(setup.caseworker)
    staff.goto(f"/staff/visits/{setup.visit.id}/")
    dialog = add_guest_dialog(staff)
    role = page_text(staff, "Second caseworker")
    dialog.get_by_role("radio", name=role, exact=True).check()
    dialog.get_by_label(page_text(staff, "Colleague")).select_option(str(colleague.pk))
    with staff.expect_navigation():
        dialog.get_by_role("button", name=page_text(staff, "Add guest"), exact=True).click()
    second_row = setup.visit.participants.get(user=colleague)
    people = staff.get_by_role("region", name=page_text(staff, "People"), exact=True)
    expect(
        people.get_by_role("listitem")
        .filter(has_text=second_row.display_name)
        .filter(has_text=role)
    ).to_be_visible()
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)

    # The colleague finds the visit on their own dashboard and joins the call from there.
    second = browsers.staff(colleague, label="colleague")
    second.goto("/staff/")
    mine = second.get_by_role("region", name=page_text(second, "My visits today"), exact=True)
    join = mine.get_by_role(
        "link", name=re.compile(rf"^{page_text(second, 'Open the call')}\s*:\s*Piet Jansen$")
    )
    expect(join).to_have_attribute("href", f"/staff/visits/{setup.visit.id}/call")
    join.click()
    wait_in_call(second)
    for page in (staff, second):
        wait_remote_videos(page, 1)
    role_colleague = call_string(staff, "roleColleague")
    assert role_colleague == "Tweede medewerker"
    assert role_colleague in caption_of(staff, role_colleague)
    role_caseworker = call_string(second, "roleCaseworker")
    assert role_caseworker in caption_of(second, role_caseworker)
    expect(own_tile(second)).to_contain_text(role_colleague)
    second_row.refresh_from_db()
    assert second_row.state == ParticipantState.ADMITTED
