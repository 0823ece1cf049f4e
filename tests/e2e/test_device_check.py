"""The resident's device and network check: camera, microphone, test sound and a connection test
through the organisation's TURN server (a private coturn), before and during the appointment;
axe-clean in Dutch and Arabic, with help on the consent page and in the waiting room."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.net import free_port

from .helpers import (
    MEDIA_TIMEOUT_MS,
    UUID,
    axe_check,
    resident_reaches_waiting_room,
    screenshot,
    wait_visible,
)


def check_string(page, key: str) -> str:
    return page.evaluate(
        "key => JSON.parse(document.getElementById('check-config').textContent).strings[key]", key
    )


def open_check(page, invited) -> None:
    page.goto(invited.link)
    page.wait_for_url(re.compile(rf"/v/{UUID}/consent$"))
    page.click("button[name=decision][value=accept]")
    page.wait_for_url(re.compile(rf"/v/{UUID}/check$"))
    page.wait_for_function(
        "() => document.getElementById('check-video').videoWidth > 0", timeout=MEDIA_TIMEOUT_MS
    )


def test_turn_step_succeeds_through_coturn(browsers, make_visit, coturn, settings):
    settings.TURN_URLS = [coturn.url]
    settings.TURN_SECRET = coturn.secret
    setup = make_visit(resident_name="Netwerk Test")
    page = browsers.resident()
    open_check(page, setup.resident)

    net = page.locator("#check-net-status")
    expect(net).to_have_attribute("data-result", "ok", timeout=MEDIA_TIMEOUT_MS)
    result = page.evaluate("() => window.vcCheck.network")
    assert result["relay"] is True and isinstance(result["rtt"], int), result
    assert check_string(page, "netOkTime").replace("{ms}", str(result["rtt"])) == net.inner_text()
    # coturn handed out a relay allocation for the check's own short-lived credentials.
    assert re.search(
        r"user <\d+:check-[0-9a-f]+>: incoming packet ALLOCATE processed, success", coturn.log()
    ), coturn.log()[-3000:]

    # The camera shows, the microphone bar moves (Chromium's fake microphone beeps).
    expect(page.locator("#check-status")).to_have_attribute("data-result", "ok")
    expect(page.locator("#check-mic-status")).to_have_attribute("data-result", "ok", timeout=15_000)
    # The test sound, and the question whether it was heard.
    page.click("#check-sound-play")
    wait_visible(page, "#check-sound-question")
    page.click("#check-sound-no")
    expect(page.locator("#check-sound-status")).to_have_text(check_string(page, "soundNo"))
    page.click("#check-sound-play")
    page.click("#check-sound-yes")
    expect(page.locator("#check-sound-status")).to_have_attribute("data-result", "ok")
    axe_check(page, "device check, all steps done")
    page.locator("#check-sound-title").scroll_into_view_if_needed()
    screenshot(page, "resident-check-all-steps")


def test_turn_step_fails_with_advice_when_turn_is_unreachable(browsers, make_visit, settings):
    settings.TURN_URLS = [f"turn:127.0.0.1:{free_port()}?transport=udp"]  # nobody listens
    settings.TURN_SECRET = "not-used"
    setup = make_visit(resident_name="Geen Netwerk")
    page = browsers.resident()
    open_check(page, setup.resident)
    net = page.locator("#check-net-status")
    expect(net).to_have_attribute("data-result", "fail", timeout=MEDIA_TIMEOUT_MS)
    advice = check_string(page, "netFailed")
    assert net.inner_text() == advice and "mobiel internet" in advice
    expect(page.locator("#check-net-retry")).to_be_visible()
    assert page.evaluate("() => window.vcCheck.network.relay") is False
    axe_check(page, "device check, connection failed")
    net.scroll_into_view_if_needed()
    screenshot(page, "resident-check-network-failed")


def test_check_before_the_appointment_in_arabic(browsers, make_visit, settings):
    """A link that is not open yet leads to the check; with no TURN configured the network step
    says so neutrally. In Arabic, right to left."""
    settings.TURN_URLS = []
    setup = make_visit(
        resident_name="Mona Saleh",
        resident_language="ar",
        scheduled_at=timezone.now() + timedelta(days=2),
    )
    page = browsers.resident()
    response = page.goto(setup.resident.link)
    assert response is not None and response.status == 200
    # The link is not redeemed yet, so the page follows the browser; the resident picks Arabic.
    page.select_option("#language-select", "ar")
    with page.expect_navigation():
        page.click(".language-switch button[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    axe_check(page, "link not open yet, with the check link (ar)")
    page.click("#precheck-link")
    page.wait_for_url(re.compile(r"/check$"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    page.wait_for_function(
        "() => document.getElementById('check-video').videoWidth > 0", timeout=MEDIA_TIMEOUT_MS
    )
    net = page.locator("#check-net-status")
    expect(net).to_have_attribute("data-result", "none", timeout=MEDIA_TIMEOUT_MS)
    assert net.inner_text() == check_string(page, "netNotConfigured")
    axe_check(page, "public device check (ar)")
    screenshot(page, "resident-precheck-ar")


def test_resident_pages_with_help_in_arabic(browsers, make_visit):
    """Consent with help, the device check and the waiting room with help, all in Arabic."""
    setup = make_visit(resident_name="Mona Saleh", resident_language="ar")
    page = browsers.resident()
    page.goto(setup.resident.link)
    page.wait_for_url(re.compile(rf"/v/{UUID}/consent$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    help_section = page.locator(".help").first
    expect(help_section).to_be_visible()
    expect(help_section).to_have_attribute("lang", "ar")
    help_section.locator("summary").first.click()
    screenshot(page, "resident-consent-help-ar")
    page.goto(f"/v/{setup.visit.id}/consent")
    resident_reaches_waiting_room(page, setup.resident, check_a11y=True)
    expect(page.locator("#vc-waiting .help")).to_be_visible()
    screenshot(page, "resident-waiting-help-ar")


def test_help_video_plays_with_captions_and_seeks_by_range(browsers, make_visit):
    from videocontact.guidance.demo import ensure_guidance_demo

    ensure_guidance_demo(with_video=True)
    setup = make_visit(resident_name="Video Kijker")
    page = browsers.resident()
    ranges: list[tuple[int, str | None]] = []
    page.on(
        "response",
        lambda r: (
            ranges.append((r.status, r.headers.get("content-range")))
            if "/help/videos/" in r.url and r.url.endswith("/file")
            else None
        ),
    )
    resident_reaches_waiting_room(page, setup.resident, check_a11y=True)
    page.goto(f"/v/{setup.visit.id}/consent")
    video = page.locator(".help video").first
    expect(video).to_be_visible()
    assert ranges == []  # preload="none": nothing of the video before play
    page.evaluate("() => document.querySelector('.help video').play()")
    page.wait_for_function(
        "() => { const v = document.querySelector('.help video'); return v && v.duration > 3; }",
        timeout=MEDIA_TIMEOUT_MS,
    )
    # Seek to the end: the browser asks for a byte range and gets 206.
    page.evaluate(
        """() => new Promise((resolve) => {
             const v = document.querySelector('.help video');
             v.addEventListener('seeked', resolve, { once: true });
             v.currentTime = v.duration - 0.5;
           })"""
    )
    assert any(status == 206 and header for status, header in ranges), ranges
    # The captions track loads (WCAG 1.2.2).
    cues = page.evaluate(
        """() => new Promise((resolve) => {
             const track = document.querySelector('.help video track');
             const done = () => resolve(track.track.cues ? track.track.cues.length : 0);
             track.track.mode = 'showing';
             if (track.readyState === 2) done(); else track.addEventListener('load', done);
           })"""
    )
    assert cues == 2
    page.evaluate("() => document.querySelector('.help video').pause()")
    axe_check(page, "consent page with a help video")
    video.scroll_into_view_if_needed()
    screenshot(page, "resident-consent-help-video")


def test_the_consent_page_downloads_no_video_before_play(browsers, make_visit):
    """Residents are often on prepaid data: the help video shows its poster frame and loads
    nothing of the video itself until they press play."""
    from videocontact.guidance.demo import DEMO_VIDEO_TITLE, ensure_guidance_demo
    from videocontact.guidance.models import HelpVideo

    ensure_guidance_demo(with_video=True)
    demo_video = HelpVideo.objects.get(title=DEMO_VIDEO_TITLE)
    assert demo_video.poster  # made with ffmpeg when the video was saved
    setup = make_visit(resident_name="Prepaid Data")
    page = browsers.resident()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(setup.resident.link)
    page.wait_for_url(re.compile(rf"/v/{UUID}/consent$"))
    video = page.locator(".help video").first
    expect(video).to_have_attribute("preload", "none")
    page.wait_for_function(
        "() => { const v = document.querySelector('.help video'); return v && v.offsetHeight > 0; }"
    )
    page.wait_for_load_state("networkidle")
    poster = f"/help/videos/{demo_video.pk}/poster.jpg"
    assert any(url.endswith(poster) for url in requests), requests
    assert not [url for url in requests if url.endswith("/file")], requests
    # The poster is a real picture: the browser decoded it.
    assert (
        page.evaluate(
            """async (src) => { const img = new Image(); img.src = src; await img.decode();
                            return img.naturalWidth; }""",
            poster,
        )
        == 320
    )
    video.scroll_into_view_if_needed()
    screenshot(page, "resident-consent-video-poster")
