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
    call_string,
    resident_reaches_waiting_room,
    screenshot,
    wait_remote_videos,
    wait_visible,
)


def caption_of(page, name: str) -> str:
    tile = page.locator("#vc-videos .tile--remote figcaption", has_text=name)
    tile.wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    return tile.inner_text()


def test_interpreter_and_resident_both_join_and_see_each_others_role(browsers, make_visit):
    setup = make_visit(resident_name="Jan de Boer")

    # The caseworker adds an interpreter on the visit page and gets their link once.
    staff_visit = browsers.staff(setup.caseworker, label="staff-visit")
    staff_visit.goto(f"/staff/visits/{setup.visit.id}/")
    staff_visit.get_by_role("button", name="Gast toevoegen").click()
    staff_visit.check("input[name=role][value=interpreter]")
    staff_visit.fill("#id_display_name", "Ahmed Karimi")
    staff_visit.select_option("#id_language", "nl")
    with staff_visit.expect_navigation():
        staff_visit.click("#guest-form button[type=submit]")
    link = staff_visit.locator("#invite-link").input_value()
    assert re.search(r"/j/[A-Za-z0-9_-]{20,}$", link), link
    expect(staff_visit.locator("#link-title")).to_contain_text("Ahmed Karimi")
    expect(staff_visit.locator(".qr svg")).to_be_visible()
    screenshot(staff_visit, "caseworker-guest-link")
    staff_visit.locator("#people").scroll_into_view_if_needed()
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
    consent_text = interpreter.locator("main").inner_text()
    assert "Jan de Boer" not in consent_text
    axe_check(interpreter, "interpreter consent")
    screenshot(interpreter, "interpreter-1-consent")
    resident_reaches_waiting_room(interpreter, interpreter_invite)

    # The caseworker lets both in from the waiting room.
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_visible(staff, "#vc-call", timeout=MEDIA_TIMEOUT_MS)
    admit(staff, setup.resident.participant)
    admit(staff, interpreter_participant)
    for page in (resident, interpreter):
        wait_visible(page, "#vc-call", timeout=MEDIA_TIMEOUT_MS)
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
    expect(resident.locator("#vc-self-name")).to_have_text(
        f"{you} · {call_string(resident, 'roleResident')}"
    )
    expect(interpreter.locator("#vc-self-name")).to_have_text(f"{you} · {role_interpreter}")
    for page, other in (
        (resident, f"Ahmed Karimi · {role_interpreter}"),
        (interpreter, f"Jan de Boer · {role_resident}"),
    ):
        page.click("#vc-people-box summary")
        expect(page.locator("#vc-people li", has_text=other)).to_have_count(1)
        expect(page.locator("#vc-people li")).to_have_count(3)
    axe_check(resident, "resident in a call with an interpreter")
    screenshot(resident, "resident-call-with-interpreter")
    screenshot(interpreter, "interpreter-2-call")

    # Removing the interpreter on the visit page takes them out of the call.
    staff_visit.goto(f"/staff/visits/{setup.visit.id}/")
    with staff_visit.expect_navigation():
        staff_visit.click(
            f'li[data-participant-id="{interpreter_participant.id}"] button[data-action=remove]'
        )
    removed = call_string(interpreter, "removed")
    expect(interpreter.locator("#vc-message-title")).to_have_text(removed, timeout=MEDIA_TIMEOUT_MS)
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
    staff.get_by_role("button", name="Gast toevoegen").click()
    staff.check("input[name=role][value=colleague]")
    staff.select_option("#id_colleague", str(colleague.pk))
    with staff.expect_navigation():
        staff.click("#guest-form button[type=submit]")
    second_row = setup.visit.participants.get(user=colleague)
    expect(staff.locator(f'#people li[data-participant-id="{second_row.id}"]')).to_be_visible()
    staff.goto(setup.staff_call_path)
    wait_visible(staff, "#vc-call", timeout=MEDIA_TIMEOUT_MS)

    # The colleague finds the visit on their own dashboard and joins the call from there.
    second = browsers.staff(colleague, label="colleague")
    second.goto("/staff/")
    join = second.locator(f'#my-visits a[href="/staff/visits/{setup.visit.id}/call"]')
    expect(join).to_be_visible()
    join.click()
    wait_visible(second, "#vc-call", timeout=MEDIA_TIMEOUT_MS)
    for page in (staff, second):
        wait_remote_videos(page, 1)
    role_colleague = call_string(staff, "roleColleague")
    assert role_colleague == "Tweede medewerker"
    assert role_colleague in caption_of(staff, role_colleague)
    role_caseworker = call_string(second, "roleCaseworker")
    assert role_caseworker in caption_of(second, role_caseworker)
    expect(second.locator("#vc-self-name")).to_contain_text(role_colleague)
    second_row.refresh_from_db()
    assert second_row.state == ParticipantState.ADMITTED
