"""The media path goes away for a while (one side's Wi-Fi drops, the phone goes through a tunnel)
and comes back: the page says the picture is frozen, and video is back within 3 s of the path.

Longer outages (30 and 60 s) are in bench/outage.py; the figures are in docs/performance.md."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from . import netpath
from .helpers import (
    MEDIA_TIMEOUT_MS,
    admit,
    assert_video_flowing,
    call_string,
    frames_decoded,
    resident_reaches_waiting_room,
    wait_remote_videos,
    wait_visible,
)


def start_call(browsers, make_visit):
    setup = make_visit(resident_name="Netwerk Bewoner")
    resident = browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident)
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_visible(staff, "#vc-call", timeout=MEDIA_TIMEOUT_MS)
    admit(staff, setup.resident.participant)
    wait_visible(resident, "#vc-call", timeout=MEDIA_TIMEOUT_MS)
    for page in (resident, staff):
        wait_remote_videos(page, 1)
        assert_video_flowing(page, peers=1)
    return resident, staff


def media_back_after(pages, since: float, timeout: float = 30.0) -> float:
    """Seconds from `since` until every page decodes new frames from every peer again."""
    base = [frames_decoded(p) for p in pages]
    while time.monotonic() - since < timeout:
        now = [frames_decoded(p) for p in pages]
        if all(
            set(b) == set(n) and all(n[k] > b[k] + 1 for k in b)
            for b, n in zip(base, now, strict=True)
        ):
            return time.monotonic() - since
        time.sleep(0.05)
    raise AssertionError(f"video did not come back within {timeout}s: {base} -> {now}")


@pytest.mark.parametrize("outage", [5, 15])
def test_media_comes_back_after_an_outage(browsers, make_visit, live_server_url, outage):
    resident, staff = start_call(browsers, make_visit)
    port = urlparse(live_server_url).port
    frozen_text = call_string(resident, "frozen")
    netpath.block(keep_tcp_ports=[port, 6391])
    try:
        blocked_at = time.monotonic()
        # The resident is told what is happening while the picture stands still.
        resident.locator("#vc-status").filter(has_text=frozen_text).wait_for(timeout=8000)
        time.sleep(max(0.0, outage - (time.monotonic() - blocked_at)))
    finally:
        netpath.unblock()
    restored_at = time.monotonic()
    back = media_back_after([resident, staff], restored_at)
    print(f"outage {outage}s: media back {back:.2f}s after the path returned")
    assert back < 3.0, f"media came back {back:.2f}s after the path returned"
    resident.locator("#vc-status").filter(
        has_text=call_string(resident, "connectionRestored")
    ).wait_for(timeout=5000)
