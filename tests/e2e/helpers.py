"""What the browser tests do and check, shared by the test modules (fixtures live in conftest)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

REPO_DIR = Path(__file__).resolve().parent.parent.parent
SCREENSHOT_DIR = REPO_DIR / "docs" / "screenshots"

NAV_TIMEOUT_MS = 20_000
MEDIA_TIMEOUT_MS = 45_000

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


# Accessibility ---------------------------------------------------------------------------------


def axe_summary(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation.get('help')} "
            f"<{violation.get('helpUrl', '')}>"
        )
        for node in violation.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            html = re.sub(r"\s+", " ", node.get("html", ""))[:240]
            lines.append(f"    at {target}: {html}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + re.sub(r"\s*\n\s*", " | ", summary.strip()))
    return "\n".join(lines)


def axe_check(page: Any, label: str = "") -> None:
    """Run axe-core (all its default rules) on the page as it is now; fail with a readable list
    of the violations (rule id, impact, the elements and why)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    if results.violations_count:
        where = f"{label} ({page.url})" if label else page.url
        report = axe_summary(results.response["violations"])
        print(f"\naxe violations on {where}:\n{report}")
        raise AssertionError(
            f"{results.violations_count} accessibility violation(s) on {where}:\n{report}"
        )


# Screenshots -----------------------------------------------------------------------------------


def screenshot(page: Any, name: str) -> Path:
    """The viewport (390x844 for a resident, 1280x800 for staff) as docs/screenshots/<name>.png."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path


# Data ------------------------------------------------------------------------------------------


def off_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `fn` in a fresh thread. Playwright's sync API keeps an asyncio loop running in the test
    thread, and services that publish to the channel layer after commit use async_to_sync, which
    refuses to run in a thread with a running loop."""
    from django.db import connections

    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="e2e-off-loop")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def expire_invitations(participant: Any) -> None:
    """Move the participant's live link(s) into the past."""
    from django.utils import timezone

    from videocontact.visits.models import Invitation

    now = timezone.now()
    Invitation.objects.filter(participant=participant, revoked_at__isnull=True).update(
        valid_from=now - timedelta(hours=6), valid_until=now - timedelta(hours=1)
    )


# Resident journey ------------------------------------------------------------------------------


def page_text(page: Any, msgid: str) -> str:
    """A template text as the page shows it: the English msgid translated into the page's own
    language (<html lang>), so a role/name lookup works in Dutch, Arabic, ..."""
    from django.utils import translation

    language = page.locator("html").get_attribute("lang") or "nl"
    with translation.override(language):
        return translation.gettext(msgid)


def waiting_room(page: Any) -> Any:
    """The resident's waiting room (a region named by its heading)."""
    return page.get_by_role("region", name=page_text(page, "Waiting room"), exact=True)


def call_stage(page: Any) -> Any:
    """The call itself: the videos and the controls (a region named "Videogesprek")."""
    return page.get_by_role("region", name=page_text(page, "Video call"), exact=True)


def wait_in_call(page: Any, timeout: int = MEDIA_TIMEOUT_MS) -> Any:
    stage = call_stage(page)
    stage.wait_for(state="visible", timeout=timeout)
    return stage


def camera_image_ready(page: Any, video: Any, timeout: int = MEDIA_TIMEOUT_MS) -> None:
    """A <video> (found by its label) shows a picture. There is no role for "the picture has
    arrived": its size is read from the element."""
    video.wait_for(state="visible", timeout=timeout)
    page.wait_for_function("v => v.videoWidth > 0", arg=video.element_handle(), timeout=timeout)


def resident_reaches_waiting_room(
    page: Any, invited: Any, *, check_a11y: bool = False, screenshots: bool = False
) -> str:
    """Open the link, give consent, pass the device check, arrive in the waiting room.

    Returns the visit id taken from the URL the resident ended up on."""
    response = page.goto(invited.link)
    assert response is not None and response.ok, f"the link answered {response and response.status}"
    page.wait_for_url(re.compile(rf"/v/{UUID}/consent$"))
    visit_id = re.search(UUID, page.url).group(0)  # type: ignore[union-attr]
    assert visit_id == str(invited.participant.visit_id)
    assert invited.token not in page.url, "the invitation token must not stay in the address bar"
    # A resident starts the call; a guest (interpreter, colleague) takes part in it.
    yes = [
        page_text(page, "Yes, I want to start the video call"),
        page_text(page, "Yes, I take part in the video call"),
    ]
    accept = page.get_by_role(
        "button", name=re.compile("^(" + "|".join(map(re.escape, yes)) + ")$")
    )
    accept.wait_for(state="visible", timeout=NAV_TIMEOUT_MS)
    if check_a11y:
        axe_check(page, "consent page")
    if screenshots:
        screenshot(page, "resident-1-consent")

    accept.click()
    page.wait_for_url(re.compile(rf"/v/{visit_id}/check$"))
    assert invited.token not in page.url
    # The device check shows the (fake) camera image.
    camera_image_ready(page, page.get_by_label(page_text(page, "Your camera image")))
    go_on = page.get_by_role("link", name=page_text(page, "Go to the waiting room"))
    go_on.wait_for(state="visible", timeout=NAV_TIMEOUT_MS)
    if check_a11y:
        axe_check(page, "device check page")
    if screenshots:
        screenshot(page, "resident-2-check")

    go_on.click()
    page.wait_for_url(re.compile(rf"/v/{visit_id}/call$"))
    waiting_room(page).wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    assert call_stage(page).is_hidden(), "a waiting participant must not see the call"
    if check_a11y:
        axe_check(page, "waiting room")
    if screenshots:
        screenshot(page, "resident-3-waiting")
    return visit_id


# Staff -----------------------------------------------------------------------------------------


def lobby_entry(staff_page: Any, participant: Any) -> Any:
    """The person's row in the caseworker's waiting-room list: the list item with the
    "Binnenlaten: <name>" button."""
    lobby = staff_page.get_by_role("list", name=page_text(staff_page, "Waiting room"), exact=True)
    let_in = f"{call_string(staff_page, 'admit')}: {participant.display_name}"
    return lobby.get_by_role("listitem").filter(
        has=staff_page.get_by_role("button", name=let_in, exact=True)
    )


def admit(staff_page: Any, participant: Any) -> None:
    """The caseworker lets a waiting person in from the waiting-room list."""
    let_in = f"{call_string(staff_page, 'admit')}: {participant.display_name}"
    button = staff_page.get_by_role("button", name=let_in, exact=True)
    button.wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    button.click()


def call_string(page: Any, key: str) -> str:
    """A user-facing text from the page's own configuration (so the check works in any language)."""
    value = page.evaluate(
        "key => JSON.parse(document.getElementById('vc-config').textContent).strings[key]", key
    )
    assert isinstance(value, str) and value, f"no call string {key!r}"
    return value


# Media -----------------------------------------------------------------------------------------

FRAMES_DECODED_JS = """async () => {
  if (!window.vcDebug || typeof window.vcDebug.peers !== 'function') return null;
  const out = {};
  for (const [peerId, pc] of window.vcDebug.peers()) {
    let frames = 0;
    const stats = await pc.getStats();
    stats.forEach(r => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0;
    });
    out[String(peerId)] = frames;
  }
  return out;
}"""

SELECTED_PAIRS_JS = """async () => {
  const out = [];
  for (const [peerId, pc] of window.vcDebug.peers()) {
    const stats = await pc.getStats();
    let pair = null;
    stats.forEach(r => {
      if (r.type === 'transport' && r.selectedCandidatePairId) {
        pair = stats.get(r.selectedCandidatePairId);
      }
    });
    if (!pair) {
      stats.forEach(r => {
        if (r.type === 'candidate-pair' && r.state === 'succeeded' && r.nominated) pair = r;
      });
    }
    const local = pair ? stats.get(pair.localCandidateId) : null;
    const remote = pair ? stats.get(pair.remoteCandidateId) : null;
    out.push({
      peerId: String(peerId),
      state: pair ? pair.state : null,
      nominated: pair ? !!pair.nominated : null,
      local: local ? local.candidateType : null,
      localAddress: local ? `${local.address}:${local.port}/${local.protocol}` : null,
      relayProtocol: local ? local.relayProtocol || null : null,
      remote: remote ? remote.candidateType : null,
    });
  }
  return out;
}"""


def remote_tiles(page: Any) -> Any:
    """The other people's video tiles in the call: the figures (named by their caption) other
    than one's own, which holds "Uw camerabeeld"."""
    own = page.get_by_label(page_text(page, "Your camera image"), exact=True)
    return call_stage(page).get_by_role("figure").filter(has_not=own)


# A picture has arrived when the tile's video knows its size (no role or name says so).
TILE_WIDTHS_JS = "figures => figures.map(f => f.querySelector('video')?.videoWidth || 0)"


def wait_remote_videos(page: Any, count: int, timeout: int = MEDIA_TIMEOUT_MS) -> None:
    """Exactly `count` remote video tiles, each showing a picture (videoWidth > 0)."""
    tiles = remote_tiles(page)
    deadline = time.monotonic() + timeout / 1000
    widths: list[int] = []
    while time.monotonic() < deadline:
        widths = tiles.evaluate_all(TILE_WIDTHS_JS)
        if len(widths) == count and all(widths):
            return
        page.wait_for_timeout(200)
    names = tiles.evaluate_all("figures => figures.map(f => f.textContent)")
    raise AssertionError(
        f"expected {count} remote video(s) with a picture; got widths {widths} for {names};"
        f" peer connections: {peer_states(page)}"
    )


PEER_STATES_JS = """async () => {
  if (!window.vcDebug || typeof window.vcDebug.peers !== 'function') return 'no window.vcDebug';
  const out = {};
  for (const [peerId, pc] of window.vcDebug.peers()) {
    const stats = await pc.getStats();
    const candidates = { local: [], remote: [] };
    const describe = r => `${r.candidateType} ${r.address}:${r.port}/${r.protocol}`;
    stats.forEach(r => {
      if (r.type === 'local-candidate') candidates.local.push(describe(r));
      if (r.type === 'remote-candidate') candidates.remote.push(describe(r));
    });
    out[String(peerId)] = {
      connection: pc.connectionState, ice: pc.iceConnectionState,
      gathering: pc.iceGatheringState, signaling: pc.signalingState,
      transceivers: pc.getTransceivers().map(t => `${t.mid}:${t.currentDirection}`),
      ...candidates,
    };
  }
  return out;
}"""


def peer_states(page: Any) -> Any:
    """What every RTCPeerConnection of the page is doing (for failure messages)."""
    try:
        return page.evaluate(PEER_STATES_JS)
    except Exception as exc:
        return f"(could not read: {exc})"


def frames_decoded(page: Any) -> dict[str, int]:
    frames = page.evaluate(FRAMES_DECODED_JS)
    assert frames is not None, "the page does not expose window.vcDebug.peers()"
    return frames


def assert_video_flowing(
    page: Any, peers: int, *, window: float = 1.0, timeout: float = 20.0
) -> dict[str, int]:
    """The page holds `peers` peer connections and decodes more video frames from every one of
    them over at least `window` seconds (polled; fails after `timeout`)."""
    first = frames_decoded(page)
    assert len(first) == peers, f"expected {peers} peer connection(s), found {len(first)}: {first}"
    started = time.monotonic()
    while True:
        now = frames_decoded(page)
        grown = set(first) == set(now) and all(now[p] > first[p] for p in first)
        if grown and time.monotonic() - started >= window:
            return {p: now[p] - first[p] for p in first}
        if time.monotonic() - started > timeout:
            raise AssertionError(
                f"video frames did not keep coming from every peer: before {first}, after {now}"
            )
        page.wait_for_timeout(200)


def selected_pairs(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(SELECTED_PAIRS_JS)
