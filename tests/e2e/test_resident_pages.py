"""Resident pages without a call: links that do not work, and saying no."""

from __future__ import annotations

import re

from videocontact.visits.models import ParticipantState
from videocontact.visits.services import invitation_revoke, visit_end

from .helpers import UUID, axe_check, expire_invitations, off_loop, screenshot


def test_link_problem_pages(browsers, make_visit):
    """Unknown, expired, revoked and closed links, and a visit page opened in a browser that never
    opened the link, each get their own clear page with the right status; all pass axe."""
    expired = make_visit(resident_name="Verlopen Link")
    expire_invitations(expired.resident.participant)
    revoked = make_visit(resident_name="Ingetrokken Link")
    invitation_revoke(
        invitation=revoked.resident.participant.invitations.get(), by_user=revoked.caseworker
    )
    closed = make_visit(resident_name="Afgelopen Gesprek")
    off_loop(visit_end, visit=closed.visit, by_user=closed.caseworker)
    unused = make_visit(resident_name="Andere Browser")

    cases = [
        ("unknown", "/j/" + "x" * 32, 404),
        ("expired", expired.resident.link, 410),
        ("revoked", revoked.resident.link, 410),
        ("closed", closed.resident.link, 410),
        ("session", f"/v/{unused.visit.id}/consent", 403),
    ]
    page = browsers.resident()
    headings: dict[str, str] = {}
    for reason, url, status in cases:
        response = page.goto(url)
        assert response is not None
        assert response.status == status, f"{reason}: status {response.status}, wanted {status}"
        assert "/j/" not in page.url, f"{reason}: the token stays in the address bar"
        heading = page.locator("h1")
        heading.wait_for(state="visible")
        headings[reason] = heading.inner_text().strip()
        assert headings[reason], f"{reason}: the page has no heading"
        assert page.locator("p.lead").first.is_visible(), f"{reason}: no explanation"
        axe_check(page, f"link problem: {reason}")
        if reason == "expired":
            screenshot(page, "resident-link-expired")
    assert len(set(headings.values())) == len(headings), f"pages look alike: {headings}"

    # Nothing of this let anyone in.
    assert unused.resident.participant.invitations.get().use_count == 0
    for setup in (expired, revoked, closed, unused):
        setup.resident.participant.refresh_from_db()
        assert setup.resident.participant.state in (ParticipantState.INVITED, ParticipantState.LEFT)


def test_resident_can_say_no(browsers, make_visit):
    setup = make_visit(resident_name="Nee Zegger")
    page = browsers.resident()
    page.goto(setup.resident.link)
    page.wait_for_url(re.compile(rf"/v/{UUID}/consent$"))
    page.click("button[name=decision][value=decline]")
    page.wait_for_url(re.compile(rf"/v/{setup.visit.id}/declined$"))
    page.locator("h1").wait_for(state="visible")
    axe_check(page, "declined page")
    setup.resident.participant.refresh_from_db()
    assert setup.resident.participant.state == ParticipantState.DECLINED
    # The call page sends someone who said no back to their choice.
    page.goto(f"/v/{setup.visit.id}/call")
    page.wait_for_url(re.compile(rf"/v/{setup.visit.id}/declined$"))
