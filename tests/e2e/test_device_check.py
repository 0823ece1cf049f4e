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
    camera_image_ready,
    off_loop,
    page_text,
    resident_reaches_waiting_room,
    screenshot,
    waiting_room,
)


def check_string(page, key: str) -> str:
    return page.evaluate(
        "key => JSON.parse(document.getElementById('check-config').textContent).strings[key]", key
    )


def step(page, heading: str):
    """One step of the check: a region named by its heading ("Camera", "Geluid", ...)."""
    return page.get_by_role("region", name=page_text(page, heading), exact=True)


def step_status(page, heading: str):
    """What the step says about the result (its live status line)."""
    return step(page, heading).get_by_role("status")


def camera_image(page):
    return page.get_by_label(page_text(page, "Your camera image"), exact=True)


def help_region(page, within=None):
    return (within or page).get_by_role("region", name=page_text(page, "Help"), exact=True)


def open_check(page, invited) -> None:
    page.goto(invited.link)
    page.wait_for_url(re.compile(rf"/v/{UUID}/consent$"))
    page.get_by_role("button", name=page_text(page, "Yes, I want to start the video call")).click()
    page.wait_for_url(re.compile(rf"/v/{UUID}/check$"))
    camera_image_ready(page, camera_image(page))


def test_turn_step_succeeds_through_coturn(browsers, make_visit, coturn, settings):
    settings.TURN_URLS = [coturn.url]
    settings.TURN_SECRET = coturn.secret
    setup = make_visit(resident_name="Netwerk Test")
    page = browsers.resident()
    open_check(page, setup.resident)

    net = step_status(page, "Internet connection")
    ok = re.escape(check_string(page, "netOkTime")).replace(re.escape("{ms}"), r"(\d+)")
    expect(net).to_have_text(re.compile(f"^{ok}$"), timeout=MEDIA_TIMEOUT_MS)
    rtt = int(re.fullmatch(ok, net.inner_text()).group(1))  # type: ignore[union-attr]
    print(f"\nconnection test through coturn: {rtt} ms")
    # coturn handed out a relay allocation for the check's own short-lived credentials.
    assert re.search(
        r"user <\d+:check-[0-9a-f]+>: incoming packet ALLOCATE processed, success", coturn.log()
    ), coturn.log()[-3000:]

    # The camera shows, the microphone bar moves (Chromium's fake microphone beeps).
    expect(step_status(page, "Camera")).to_have_text(check_string(page, "ready"))
    expect(step_status(page, "Microphone")).to_have_text(
        check_string(page, "micOk"), timeout=15_000
    )
    # The test sound, and the question whether it was heard.
    sound = step(page, "Sound")
    play = sound.get_by_role("button", name=page_text(page, "Play a test sound"))
    heard = sound.get_by_role("group", name=page_text(page, "Do you hear the sound?"))
    play.click()
    expect(heard).to_be_visible()
    heard.get_by_role("button", name=page_text(page, "No"), exact=True).click()
    expect(step_status(page, "Sound")).to_have_text(check_string(page, "soundNo"))
    play.click()
    heard.get_by_role("button", name=page_text(page, "Yes"), exact=True).click()
    expect(step_status(page, "Sound")).to_have_text(check_string(page, "soundOk"))
    axe_check(page, "device check, all steps done")
    sound.get_by_role("heading").scroll_into_view_if_needed()
    screenshot(page, "resident-check-all-steps")


def test_turn_step_fails_with_advice_when_turn_is_unreachable(browsers, make_visit, settings):
    settings.TURN_URLS = [f"turn:127.0.0.1:{free_port()}?transport=udp"]  # nobody listens
    settings.TURN_SECRET = "not-used"
    setup = make_visit(resident_name="Geen Netwerk")
    page = browsers.resident()
    open_check(page, setup.resident)
    net = step_status(page, "Internet connection")
    advice = check_string(page, "netFailed")
    assert "mobiel internet" in advice
    expect(net).to_have_text(advice, timeout=MEDIA_TIMEOUT_MS)
    expect(
        step(page, "Internet connection").get_by_role("button", name=page_text(page, "Test again"))
    ).to_be_visible()
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
    page.get_by_label(page_text(page, "Language"), exact=True).select_option("ar")
    with page.expect_navigation():
        page.get_by_role("button", name=page_text(page, "Change"), exact=True).click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    axe_check(page, "link not open yet, with the check link (ar)")
    page.get_by_role(
        "link", name=page_text(page, "Test your camera, sound and internet now")
    ).click()
    page.wait_for_url(re.compile(r"/check$"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    camera_image_ready(page, camera_image(page))
    net = step_status(page, "Internet connection")
    expect(net).to_have_text(check_string(page, "netNotConfigured"), timeout=MEDIA_TIMEOUT_MS)
    axe_check(page, "public device check (ar)")
    screenshot(page, "resident-precheck-ar")


def test_resident_pages_with_help_in_arabic(browsers, make_visit):
    """Consent with help, the device check and the waiting room with help, all in Arabic."""
    from videocontact.guidance.selectors import help_for

    setup = make_visit(resident_name="Mona Saleh", resident_language="ar")
    page = browsers.resident()
    page.goto(setup.resident.link)
    page.wait_for_url(re.compile(rf"/v/{UUID}/consent$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    help_section = help_region(page).first
    expect(help_section).to_be_visible()
    expect(help_section).to_have_attribute("lang", "ar")
    first_page = off_loop(lambda: help_for(audience="resident", language="ar").pages[0].title)
    help_section.get_by_text(first_page, exact=True).click()  # opens the help page's details
    screenshot(page, "resident-consent-help-ar")
    page.goto(f"/v/{setup.visit.id}/consent")
    resident_reaches_waiting_room(page, setup.resident, check_a11y=True)
    expect(help_region(page, within=waiting_room(page))).to_be_visible()
    screenshot(page, "resident-waiting-help-ar")


def test_help_video_plays_with_captions_and_seeks_by_range(browsers, make_visit):
    from videocontact.guidance.demo import DEMO_VIDEO_TITLE, ensure_guidance_demo

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
    video = help_region(page).get_by_label(DEMO_VIDEO_TITLE, exact=True)
    expect(video).to_be_visible()
    assert ranges == []  # preload="none": nothing of the video before play
    # Playing, seeking and the captions' cues are media state: read from the labelled element.
    video.evaluate("v => v.play()")
    page.wait_for_function(
        "v => v.duration > 3", arg=video.element_handle(), timeout=MEDIA_TIMEOUT_MS
    )
    # Seek to the end: the browser asks for a byte range and gets 206.
    video.evaluate(
        """v => new Promise((resolve) => {
             v.addEventListener('seeked', resolve, { once: true });
             v.currentTime = v.duration - 0.5;
           })"""
    )
    assert any(status == 206 and header for status, header in ranges), ranges
    # The captions track loads (WCAG 1.2.2).
    cues = video.evaluate(
        """v => new Promise((resolve) => {
             const track = v.querySelector('track');
             const done = () => resolve(track.track.cues ? track.track.cues.length : 0);
             track.track.mode = 'showing';
             if (track.readyState === 2) done(); else track.addEventListener('load', done);
           })"""
    )
    assert cues == 2
    video.evaluate("v => v.pause()")
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
    video = help_region(page).get_by_label(DEMO_VIDEO_TITLE, exact=True)
    expect(video).to_have_attribute("preload", "none")
    expect(video).to_be_visible()
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
