"""A weak network: media only through a TURN relay whose bandwidth coturn limits (`--max-bps`).

The video steps down (smaller, fewer bits) instead of freezing; on a link too thin for video the
resident is offered sound only, and the caseworker sees it; when the network is good again the
video comes back by itself. coturn's limit holds per allocation, so each change of the network is
a restart of coturn on the same port: the pages' ICE restarts make new allocations under it."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import TURN_RELAY_PORTS, _wait_tcp, free_port
from .helpers import call_string, frames_decoded, screenshot
from .test_outage import start_call

SENDER_JS = """() => {
  const pc = [...window.vcDebug.peers().values()][0];
  const sender = pc && pc.getSenders().find((s) => s.track && s.track.kind === "video");
  return sender ? sender.getParameters().encodings[0] : null;
}"""
INBOUND_HEIGHT_JS = """async () => {
  const pc = [...window.vcDebug.peers().values()][0];
  let height = 0;
  (await pc.getStats()).forEach((r) => {
    if (r.type === "inbound-rtp" && r.kind === "video") height = r.frameHeight || 0;
  });
  return height;
}"""


class Relay:
    """coturn on 127.0.0.1:<port>, restarted with another bandwidth limit on demand."""

    def __init__(self) -> None:
        binary = shutil.which("turnserver")
        assert binary, "turnserver is missing: install Debian's coturn (make test-deps)"
        self.binary = binary
        self.port = free_port()
        self.secret = secrets.token_urlsafe(24)
        self.workdir = Path(tempfile.mkdtemp(prefix="e2e-coturn-weak-"))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"turn:127.0.0.1:{self.port}?transport=udp"

    def start(self, max_bps: int = 0) -> None:
        self.stop()
        args = [
            self.binary,
            "-n",
            "--listening-ip=127.0.0.1",
            "--relay-ip=127.0.0.1",
            f"--listening-port={self.port}",
            f"--min-port={TURN_RELAY_PORTS[0]}",
            f"--max-port={TURN_RELAY_PORTS[1]}",
            "--use-auth-secret",
            f"--static-auth-secret={self.secret}",
            "--realm=videocontact.test",
            "--allow-loopback-peers",
            "--no-cli",
            "--no-tls",
            "--no-dtls",
            "--fingerprint",
            "--log-file=stdout",
            "--simple-log",
            f"--pidfile={self.workdir / 'turnserver.pid'}",
            f"--userdb={self.workdir / 'turndb'}",
        ]
        if max_bps:
            args.append(f"--max-bps={max_bps}")  # bytes per second, each direction, per session
        with (self.workdir / "turnserver.log").open("ab") as log:
            self.proc = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        _wait_tcp(self.port, self.proc, timeout=15)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


@pytest.fixture
def relay() -> Iterator[Relay]:
    server = Relay()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


def weak_state(page: Any) -> dict[str, Any]:
    return page.evaluate("() => window.vcDebug.weak()")


def wait_until(check: Any, timeout: float, what: str, page: Any) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.25)
    peers = page.evaluate(
        "() => [...window.vcDebug.peers().values()].map((pc) => pc.connectionState)"
    )
    raise AssertionError(f"{what} not within {timeout}s: {weak_state(page)}; peers {peers}")


def longest_stall(page: Any, seconds: float) -> tuple[float, int]:
    """Over `seconds`, the longest time the page decoded no new frame, and the frames decoded."""
    first = last = sum(frames_decoded(page).values())
    changed = started = time.monotonic()
    stall = 0.0
    while time.monotonic() - started < seconds:
        time.sleep(0.1)
        now = sum(frames_decoded(page).values())
        if now != last:
            stall = max(stall, time.monotonic() - changed)
            last, changed = now, time.monotonic()
    return max(stall, time.monotonic() - changed), last - first


def test_video_adapts_offers_sound_only_and_comes_back(browsers, make_visit, relay, settings):
    relay.start(max_bps=40_000)  # 320 kbit/s each way: enough for small video, not for 720p
    settings.TURN_URLS = [relay.url]
    settings.TURN_SECRET = relay.secret
    settings.ICE_TRANSPORT_POLICY = "relay"
    resident, staff = start_call(browsers, make_visit)

    # 1. The resident's video steps down to what the link carries, and keeps moving.
    def stepped_down() -> bool:
        encoding = resident.evaluate(SENDER_JS) or {}
        return (
            encoding.get("scaleResolutionDownBy", 1) >= 2
            and encoding.get("maxBitrate", 10**9) <= 300_000
        )

    took = wait_until(stepped_down, 45, "the video did not step down", resident)
    print(f"stepped down {took:.1f}s after the call was up: {resident.evaluate(SENDER_JS)}")
    time.sleep(3)  # the encoder settles on the new size
    stall, frames = longest_stall(staff, 8.0)
    height = staff.evaluate(INBOUND_HEIGHT_JS)
    print(f"limited link: {frames} frames in 8 s, longest stall {stall:.2f}s, height {height}")
    assert frames >= 40, f"the video nearly stopped: {frames} frames in 8 s"
    assert stall < 1.5, f"the picture stood still for {stall:.2f}s"
    assert 0 < height <= 360, height
    assert not weak_state(resident)["offered"], "sound only offered while video still fits"

    # 2. Too thin for video: the resident is offered sound only and chooses it.
    relay.start(max_bps=9_000)  # 72 kbit/s: the audio fits, video does not
    offer = resident.get_by_role("alertdialog", name=call_string(resident, "weakOffer"))
    offer.wait_for(timeout=60_000)
    screenshot(resident, "resident-call-weak-network")
    resident.get_by_role("button", name=call_string(resident, "weakChoose")).click()
    assert offer.is_hidden()
    resident.get_by_role("status").filter(
        has_text=call_string(resident, "weakAudioOnlyOn")
    ).wait_for(timeout=5000)
    note = staff.get_by_role("status").filter(has_text=call_string(staff, "weakPeerAudioOnly"))
    note.wait_for(timeout=10_000)
    # The caseworker's own video crosses the same thin relay: the offer may show there too.
    keep = staff.get_by_role("button", name=call_string(staff, "weakKeep"))
    if keep.is_visible():
        keep.click()
    screenshot(staff, "staff-call-resident-sound-only")
    wait_until(
        lambda: (resident.evaluate(SENDER_JS) or {}).get("active") is False,
        20,  # the thin link may be renegotiating: then on the next connected sample
        "the video was not switched off",
        resident,
    )

    # 3. The network is good again: the video comes back by itself, and the caseworker sees it.
    relay.start()
    restored = time.monotonic()
    resident.get_by_role("status").filter(has_text=call_string(resident, "weakRecovered")).wait_for(
        timeout=90_000
    )
    note.wait_for(state="detached", timeout=10_000)
    print(f"video back {time.monotonic() - restored:.1f}s after the network recovered")
    wait_until(
        lambda: any(
            p["rung"] is not None and p["rung"] <= 2 for p in weak_state(resident)["peers"]
        ),
        60,
        "the video did not climb back",
        resident,
    )
    stall, frames = longest_stall(staff, 4.0)
    assert frames >= 30 and stall < 1.0, (frames, stall)
