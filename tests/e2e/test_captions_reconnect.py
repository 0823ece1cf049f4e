"""Live captions survive a lost connection: the resident's phone "speaks" Dutch from a WAV file
(--use-file-for-fake-audio-capture, as in test_captions.py), captions are on, a line appears.

- The server process is killed (SIGKILL) and started again: while it is down the resident's
  page says the captions are paused because the connection was lost; the microphone's captions
  socket is back within a few seconds of the server answering, and a new line from the
  resident appears without anyone stopping and starting captions or being asked again.
- Only the captions socket drops (the room socket stays up): the same, by the socket's own
  reconnect."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.language.speech import ensure_models

from .conftest import ARTIFACT_DIR, CHROMIUM, CHROMIUM_ARGS, Browsers, free_port
from .helpers import (
    admit,
    call_stage,
    page_text,
    resident_reaches_waiting_room,
    wait_in_call,
)
from .procserver import ProcServer
from .test_captions import CAPTION_TIMEOUT_MS, DUTCH, said, speech_wav  # noqa: F401 (fixture)

RECONNECTING = "Captions paused: the connection was lost. They come back by themselves."
# "Within a couple of seconds of the server answering": the back-off waits at most 1 s in the
# first minute (backoff.js); the rest is the socket's handshake on a loaded machine.
BACK_WITHIN_S = 3.0
MARK_OLD_LINES_JS = """() => document.querySelectorAll('#vc-captions li')
  .forEach((li) => { li.dataset.before = '1'; })"""


@pytest.fixture(scope="module")
def speaking_chromium(playwright_instance: Any, speech_wav: Path) -> Iterator[Any]:  # noqa: F811
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={speech_wav}"],
    )
    yield browser
    browser.close()


@pytest.fixture
def server(live_server_url: str) -> Iterator[ProcServer]:
    ARTIFACT_DIR.mkdir(parents=True, exist_ok=True)
    with ProcServer(free_port(), ARTIFACT_DIR / "procserver-captions.log", dead_seconds=30) as proc:
        proc.start()
        yield proc


def join(pages: Browsers, make_visit: Any, resident: Any) -> Any:
    """The resident and the caseworker in the call (the caseworker's microphone off)."""
    setup = make_visit(resident_name="Amina Haddad")
    setup.resident.link = re.sub(r"^https?://[^/]+", pages.base_url, setup.resident.link)
    resident_reaches_waiting_room(resident, setup.resident)
    staff = pages.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_in_call(resident)
    mute = page_text(staff, "Turn microphone off")
    call_stage(staff).get_by_role("button", name=mute, exact=True).click()  # it only beeps
    return staff


def captions_on(resident: Any, staff: Any) -> tuple[Any, Any]:
    """The caseworker starts captions, the resident agrees, a line of the resident appears."""
    staff.get_by_role("button", name="Live ondertiteling starten").click()
    box = resident.get_by_role("region", name="Live ondertiteling", exact=True)
    box.get_by_role("button", name="Ja, toon ondertiteling").click()
    staff_box = staff.get_by_role("region", name="Live ondertiteling", exact=True)
    expect(said(staff_box, "Live ondertiteling staat aan.")).to_be_visible()
    line = box.get_by_role("list").get_by_role("listitem").filter(has_text=DUTCH).first
    expect(line).to_be_visible(timeout=CAPTION_TIMEOUT_MS)
    return box, staff_box


def expect_new_line(resident: Any, box: Any, staff_box: Any) -> None:
    """A line that was not on the page before, from the resident; nobody was asked again."""
    new = box.get_by_role("list").locator("li:not([data-before])").filter(has_text=DUTCH).first
    expect(new).to_be_visible(timeout=CAPTION_TIMEOUT_MS)
    expect(new).to_have_text(re.compile(r"^Inwoner: "))
    expect(box.get_by_role("button", name="Ja, toon ondertiteling")).to_be_hidden()
    expect(said(staff_box, "Live ondertiteling staat aan.")).to_be_visible()
    expect(said(box, page_text(resident, RECONNECTING))).to_be_hidden()


def test_captions_come_back_after_a_server_kill(
    speaking_chromium: Any, make_visit: Any, server: ProcServer
) -> None:
    ensure_models()
    pages = Browsers(browser=speaking_chromium, base_url=server.url)
    try:
        resident = pages.resident()
        audio_sent: list[float] = []  # when the resident's page sent audio to a captions socket

        def watch(ws: Any) -> None:
            if "/captions/" in ws.url:
                ws.on("framesent", lambda _payload: audio_sent.append(time.time()))

        resident.on("websocket", watch)
        staff = join(pages, make_visit, resident)
        box, staff_box = captions_on(resident, staff)
        resident.evaluate(MARK_OLD_LINES_JS)

        killed_at = server.kill()
        reconnecting = said(box, page_text(resident, RECONNECTING))
        try:
            expect(reconnecting).to_be_visible(timeout=5000)
            said_so = True
        except AssertionError:
            said_so = False
        answered_at = server.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(t > answered_at for t in audio_sent):
            resident.wait_for_timeout(50)
        back = min((t for t in audio_sent if t > answered_at), default=float("inf"))
        print(
            f"server down {answered_at - killed_at:.2f}s; the resident's audio reached the "
            f"captions socket again {back - answered_at:.2f}s after the server answered"
        )
        expect_new_line(resident, box, staff_box)
        assert said_so, "while the server was down the page did not say captions are paused"
        assert back - answered_at <= BACK_WITHIN_S, f"audio back after {back - answered_at:.2f}s"
    finally:
        pages.close()


def test_captions_come_back_after_the_captions_socket_drops(
    speaking_chromium: Any, make_visit: Any, live_server_url: str
) -> None:
    ensure_models()
    pages = Browsers(browser=speaking_chromium, base_url=live_server_url)
    try:
        resident = pages.resident()
        links: list[tuple[Any, Any]] = []  # (the page's side, the server's side) per socket

        def route(ws: Any) -> None:
            links.append((ws, ws.connect_to_server()))

        # The captions socket only goes through Playwright, so the test can drop it alone.
        resident.route_web_socket(re.compile(r"/captions/"), route)
        staff = join(pages, make_visit, resident)
        box, staff_box = captions_on(resident, staff)
        resident.evaluate(MARK_OLD_LINES_JS)
        sockets = len(links)
        room_welcomes = len([f for f in pages.frames["resident"] if f.get("type") == "welcome"])

        page_side, server_side = links[-1]
        server_side.close(code=1001)  # going away, as a proxy or a server does
        page_side.close(code=1001)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(links) == sockets:
            resident.wait_for_timeout(50)
        assert len(links) > sockets, "the captions socket was not opened again"
        expect_new_line(resident, box, staff_box)
        welcomes = len([f for f in pages.frames["resident"] if f.get("type") == "welcome"])
        assert welcomes == room_welcomes, "the room socket was not meant to reconnect"
    finally:
        pages.close()
