"""A resident joins by link and talks with the caseworker: the whole journey, with real WebRTC."""

from __future__ import annotations

from playwright.sync_api import expect

from videocontact.visits.models import ParticipantState

from .helpers import (
    admit,
    assert_video_flowing,
    axe_check,
    lobby_entry,
    resident_reaches_waiting_room,
    screenshot,
    wait_in_call,
    wait_remote_videos,
    waiting_room,
)


def test_resident_joins_and_both_see_video(browsers, make_visit):
    setup = make_visit(resident_name="Jan de Boer")
    resident_participant = setup.resident.participant

    # The resident: link -> consent -> device check -> waiting room (axe and a screenshot each).
    resident = browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident, check_a11y=True, screenshots=True)

    # The caseworker signs in, opens the call and finds the resident in the waiting room.
    staff = browsers.staff(setup.caseworker, via_form=True)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, resident_participant)

    # The resident is let in; both see and keep receiving the other's video.
    wait_in_call(resident)
    expect(waiting_room(resident)).to_be_hidden()
    for page in (resident, staff):
        wait_remote_videos(page, 1)
    for page in (resident, staff):
        assert_video_flowing(page, peers=1)
    expect(lobby_entry(staff, resident_participant)).to_have_count(0)
    resident_participant.refresh_from_db()
    assert resident_participant.state == ParticipantState.ADMITTED

    axe_check(resident, "resident in the call")
    axe_check(staff, "caseworker's call page")
    screenshot(resident, "resident-4-call")
    screenshot(staff, "caseworker-call")
