"""Insights in a real call: both browsers report call quality over the socket; the caseworker
ends the call; the resident rates it in Arabic on the ended-call screen (a plain form, the
socket is gone); the caseworker answers the quick question; the team lead's dashboard shows
the rating. axe finds nothing on the rating form and the dashboard."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from videocontact.insights.models import QualitySummary, Rating, TechCheck

from .helpers import (
    MEDIA_TIMEOUT_MS,
    admit,
    axe_check,
    off_loop,
    page_text,
    resident_reaches_waiting_room,
    screenshot,
    wait_in_call,
    wait_remote_videos,
)


def test_resident_rates_in_arabic_and_the_team_lead_sees_it(browsers, make_visit, demo):
    setup = make_visit(resident_name="Mona Saleh", resident_language="ar")
    resident = browsers.resident("resident")
    resident_reaches_waiting_room(resident, setup.resident)
    expect(resident.locator("html")).to_have_attribute("dir", "rtl")

    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_in_call(resident)
    wait_remote_videos(resident, 1)
    wait_remote_videos(staff, 1)
    # The rating form is on the page but hidden during the call.
    after = resident.get_by_role("region", name=page_text(resident, "How did it go?"))
    expect(after).to_be_hidden()

    # Every 10 s each browser sends a `stats` summary; the server keeps one row per person.
    def both_reported() -> bool:
        return QualitySummary.objects.filter(visit=setup.visit, samples__gte=1).count() == 2

    for _ in range(60):
        if off_loop(both_reported):
            break
        resident.wait_for_timeout(500)
    summaries = off_loop(lambda: list(QualitySummary.objects.filter(visit=setup.visit)))
    assert len(summaries) == 2
    assert all(s.rtt_samples >= 1 and s.max_width > 0 for s in summaries), summaries

    # The caseworker ends the call for everyone.
    staff.once("dialog", lambda dialog: dialog.accept())
    staff.get_by_role("button", name="Beëindigen voor iedereen").click()

    # The resident: the form appears in Arabic on the ended-call screen.
    expect(after).to_be_visible(timeout=MEDIA_TIMEOUT_MS)
    expect(after.get_by_role("heading", name="كيف سارت الأمور؟")).to_be_visible()
    ease = after.get_by_role("group", name="هل كان الاستخدام سهلاً؟")
    ease.get_by_role("radio", name="جيد", exact=True).check()
    liked = after.get_by_role("group", name="هل تحب التحدث معنا بهذه الطريقة؟")
    liked.get_by_role("radio", name="مقبول", exact=True).check()
    after.get_by_role("textbox", name="هل تريد أن تخبرنا بشيء آخر؟ (اختياري)").fill(
        "الصوت كان جيداً"
    )
    axe_check(resident, "rating after the call (Arabic)")
    after.scroll_into_view_if_needed()
    screenshot(resident, "insights-1-rating-ar")
    with resident.expect_navigation():
        after.get_by_role("button", name="أرسل إجاباتي").click()
    expect(resident.get_by_role("heading", name="شكراً لك")).to_be_visible()
    rating = off_loop(lambda: Rating.objects.get(visit=setup.visit))
    assert (rating.ease, rating.appreciation, rating.language) == (3, 2, "ar")

    # The caseworker: one quick question on the same screen.
    question = staff.get_by_role("region", name=page_text(staff, "One quick question"))
    expect(question).to_be_visible(timeout=MEDIA_TIMEOUT_MS)
    question.get_by_role("radio", name="Gedeeltelijk").check()
    question.get_by_role("combobox", name="Wat ging er mis? (mag leeg blijven)").select_option(
        "no_picture"
    )
    with staff.expect_navigation():
        question.get_by_role("button", name="Antwoord opslaan").click()
    panel = staff.get_by_role("region", name="Werkte de techniek?")
    expect(panel).to_contain_text("Uw antwoord: Gedeeltelijk · Geen beeld")
    expect(panel).to_contain_text("1 deelnemer beoordeelde dit gesprek.")
    check = off_loop(lambda: TechCheck.objects.get(visit=setup.visit))
    assert (check.answer, check.problem) == (2, "no_picture")

    # The team lead's dashboard shows the rating and the comment.
    lead = browsers.staff(demo.users["teamleider"], label="teamlead")
    lead.goto("/staff/")
    with lead.expect_navigation():
        lead.get_by_role("link", name="Inzicht").click()
    expect(lead.get_by_role("heading", name="Gebruik door medewerkers")).to_be_visible()
    ratings = lead.get_by_role("table", name="Beoordelingen per team (goed / gaat wel / niet goed)")
    total = ratings.get_by_role("row", name=re.compile(r"^Totaal"))
    expect(total).to_contain_text("Totaal")
    expect(total.get_by_role("cell").first).to_have_text("1")
    expect(total).to_contain_text("1 / 0 / 0")
    expect(lead.get_by_text("الصوت كان جيداً")).to_be_visible()
    axe_check(lead, "insights dashboard")
    screenshot(lead, "insights-2-dashboard")
    lead.get_by_role(
        "region", name=page_text(lead, "Call quality"), exact=True
    ).scroll_into_view_if_needed()
    screenshot(lead, "insights-3-quality")
    savings = page_text(lead, "Business case: saved compared with a home visit")
    lead.get_by_role("region", name=savings, exact=True).scroll_into_view_if_needed()
    screenshot(lead, "insights-4-savings")


def test_functional_admin_sees_the_pilot_and_edits_the_assumptions(browsers, live_server_url):
    from tests.insights.pilot import build_pilot
    from videocontact.insights.models import Rating, TechCheck
    from videocontact.visits.models import Participant

    pilot = off_loop(build_pilot)

    def some_ratings_and_answers() -> None:
        residents = Participant.objects.filter(
            role="resident",
            admitted_at__isnull=False,
            visit__process__unit__organisation=pilot.organisation,
        ).select_related("visit")
        for i, resident in enumerate(residents[:12]):
            Rating.objects.create(
                visit=resident.visit,
                participant=resident,
                role="resident",
                language="nl",
                ease=3 if i % 4 else 2,
                appreciation=3 if i % 3 else 1,
                comment="Fijn dat ik niet hoefde te reizen." if i == 1 else "",
                created_at=resident.visit.started_at,
            )
            TechCheck.objects.create(
                visit=resident.visit,
                user=resident.visit.caseworker,
                answer=1 if i == 5 else 3,
                problem="no_sound" if i == 5 else "",
            )

    off_loop(some_ratings_and_answers)
    admin = browsers.staff(pilot.admin, label="admin")
    admin.goto("/staff/insights/?first=2026-03-02&last=2026-03-29")
    adoption = admin.get_by_role("region", name="Gebruik door medewerkers")
    expect(
        adoption.get_by_text("20 van 29 uitgenodigde medewerkers gebruikten de app (69 %)")
    ).to_be_visible()
    table = admin.get_by_role("table", name="Gebruik per team")
    expect(table.get_by_role("row", name="Gemeente · Burgerzaken")).to_contain_text("25 %")
    expect(admin.get_by_text("Gemeente Elders")).to_have_count(0)
    axe_check(admin, "insights dashboard (functional administrator)")
    screenshot(admin, "insights-5-pilot-adoption")
    admin.get_by_role("heading", name="Verloop per week").scroll_into_view_if_needed()
    screenshot(admin, "insights-6-pilot-trend")

    # The functional administrator changes the assumptions of one process.
    admin.get_by_role("link", name="Wijzigen: Huisbezoek Intake").click()
    admin.get_by_role("spinbutton", name="medewerkers bij een huisbezoek").fill("2")
    admin.get_by_role("spinbutton", name="reistijd per bezoek (minuten, heen en terug)").fill("50")
    axe_check(admin, "business case assumptions")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Opslaan").click()
    expect(admin.get_by_text("De uitgangspunten zijn opgeslagen.")).to_be_visible()
    admin.goto("/staff/insights/?first=2026-03-02&last=2026-03-29")
    row = admin.get_by_role(
        "table", name="Een huisbezoek, zoals aangenomen per proces"
    ).get_by_role("row", name="Intake · Huisbezoek Intake")
    expect(row.get_by_role("cell").first).to_have_text("50")
    savings = page_text(admin, "Business case: saved compared with a home visit")
    admin.get_by_role("region", name=savings, exact=True).scroll_into_view_if_needed()
    screenshot(admin, "insights-7-pilot-savings")
