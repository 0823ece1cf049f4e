"""Four people in one call (mesh), and nobody gets in as a fifth."""

from __future__ import annotations

from playwright.sync_api import expect

from videocontact.visits.models import Participant, ParticipantRole, ParticipantState

from .helpers import (
    MEDIA_TIMEOUT_MS,
    admit,
    assert_video_flowing,
    call_stage,
    call_string,
    lobby_entry,
    off_loop,
    resident_reaches_waiting_room,
    wait_in_call,
    wait_remote_videos,
    waiting_room,
)


def _is_room_full(frame: dict) -> bool:
    return frame.get("type") == "error" and frame.get("code") == "room_full"


def test_four_people_and_a_fifth_refused(browsers, make_visit, demo):
    setup = make_visit(resident_name="Familie Yilmaz")
    interpreter = off_loop(setup.invite, ParticipantRole.INTERPRETER, "Tolk Arabisch")
    family = off_loop(setup.invite, ParticipantRole.FAMILY, "Dochter Yilmaz")
    fifth = off_loop(setup.invite, ParticipantRole.FAMILY, "Buurman")

    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)

    # Resident, interpreter and family member each open their own link and are let in.
    guests = {"resident": setup.resident, "interpreter": interpreter, "family": family}
    pages = {"staff": staff}
    for label, invited in guests.items():
        page = browsers.resident(label)
        resident_reaches_waiting_room(page, invited)
        admit(staff, invited.participant)
        wait_in_call(page)
        pages[label] = page

    for page in pages.values():
        wait_remote_videos(page, 3)
    for page in pages.values():
        assert_video_flowing(page, peers=3)

    # A fifth person reaches the waiting room; the caseworker's "let in" is refused.
    fifth_page = browsers.resident("fifth")
    resident_reaches_waiting_room(fifth_page, fifth)
    admit(staff, fifth.participant)
    browsers.wait_for_frame("staff", _is_room_full)
    full = call_string(staff, "full")
    said = staff.get_by_role("status").or_(staff.get_by_role("alert")).filter(has_text=full)
    expect(said).not_to_have_count(0)
    expect(lobby_entry(staff, fifth.participant)).to_be_visible()
    expect(waiting_room(fifth_page)).to_be_visible()
    expect(call_stage(fifth_page)).to_be_hidden()
    fifth.participant.refresh_from_db()
    assert fifth.participant.state == ParticipantState.WAITING

    # A second caseworker opening the call now is refused too, with the "full" message.
    colleague = browsers.staff(demo.users["collega"], "colleague")
    colleague.goto(setup.staff_call_path)
    browsers.wait_for_frame("colleague", _is_room_full)
    full_heading = colleague.get_by_role("heading", name=call_string(colleague, "full"))
    expect(full_heading).to_be_visible(timeout=MEDIA_TIMEOUT_MS)
    expect(call_stage(colleague)).to_be_hidden()
    # No controls of a call they are not in, and a way to try again.
    expect(colleague.get_by_role("button", name="Vragenlijst starten")).to_be_hidden()
    expect(colleague.get_by_role("button", name="Beëindigen voor iedereen")).to_be_hidden()
    expect(colleague.get_by_role("link", name="Opnieuw proberen")).to_be_visible()
    refused = Participant.objects.get(visit=setup.visit, user=demo.users["collega"])
    assert refused.state != ParticipantState.ADMITTED

    # The four are still together, each still receiving three videos.
    for page in pages.values():
        wait_remote_videos(page, 3)
    assert_video_flowing(staff, peers=3)
    assert (
        Participant.objects.filter(visit=setup.visit, state=ParticipantState.ADMITTED).count() == 4
    )
