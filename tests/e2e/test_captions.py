"""Live captions in the browser: the resident's phone "speaks" Dutch from a WAV file
(--use-file-for-fake-audio-capture), the caseworker starts captions, everyone agrees, the
resident's page shows the caption; with English chosen, the English line appears."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.language.speech import ensure_models

from .conftest import CHROMIUM, CHROMIUM_ARGS, Browsers
from .helpers import (
    admit,
    call_stage,
    page_text,
    resident_reaches_waiting_room,
    screenshot,
    wait_in_call,
)

SENTENCE = "Ik woon in dit huis met mijn familie."
DUTCH = re.compile(r"huis|familie", re.IGNORECASE)
ENGLISH = re.compile(r"house|family|home|live", re.IGNORECASE)
CAPTION_TIMEOUT_MS = 90_000  # the first line also starts the speech worker (base model)


def said(box: Any, text: str) -> Any:
    """The captions status with this text (a busy server adds a second status: "gepauzeerd")."""
    return box.get_by_role("status").filter(has_text=re.compile(rf"^{re.escape(text)}$"))


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Dutch speech from espeak-ng, then silence (Chromium loops the file)."""
    path = tmp_path_factory.mktemp("audio") / "dutch.wav"
    speech = subprocess.run(
        ["espeak-ng", "-v", "nl", "-s", "140", "--stdout", SENTENCE],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            "pipe:0",
            "-af",
            "apad=pad_dur=2.5",
            "-ar",
            "48000",
            "-ac",
            "1",
            str(path),
        ],
        input=speech,
        check=True,
    )
    return path


@pytest.fixture
def speaking_browsers(
    playwright_instance: Any, live_server_url: str, speech_wav: Path
) -> Iterator[Browsers]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={speech_wav}"],
    )
    made = Browsers(browser=browser, base_url=live_server_url)
    yield made
    made.close()
    browser.close()


def test_captions_with_consent_and_translation(
    speaking_browsers: Browsers, browsers: Browsers, make_visit: Any
) -> None:
    ensure_models()
    setup = make_visit(resident_name="Amina Haddad")
    resident = speaking_browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident)
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_in_call(resident)
    mute = page_text(staff, "Turn microphone off")
    call_stage(staff).get_by_role("button", name=mute, exact=True).click()  # it only beeps

    staff.get_by_role("button", name="Live ondertiteling starten").click()
    resident_box = resident.get_by_role("region", name="Live ondertiteling", exact=True)
    resident_box.get_by_role("button", name="Ja, toon ondertiteling").click()
    staff_box = staff.get_by_role("region", name="Live ondertiteling", exact=True)
    expect(said(staff_box, "Live ondertiteling staat aan.")).to_be_visible()

    # The file loops: some line recognises the sentence (one may be cut mid-word).
    lines = resident_box.get_by_role("list").get_by_role("listitem")
    line = lines.filter(has_text=DUTCH).first
    expect(line).to_be_visible(timeout=CAPTION_TIMEOUT_MS)
    expect(line).to_have_text(re.compile(r"^Inwoner: "))
    # Chromium has WebCodecs: the microphone went over the socket as Opus (ADR 0008).
    assert resident.evaluate("() => window.vcCaptions.mic?.sender?.codec") == "opus"
    expect(staff_box.get_by_role("list").get_by_role("listitem").first).to_be_visible()
    screenshot(resident, "captions-resident")

    # Translation mode: the resident reads the captions in English (Whisper's translate task).
    resident_box.get_by_label("Taal van de ondertiteling").select_option("en")
    # The translated lines say so ("machinevertaling").
    english = lines.filter(has_text="machinevertaling").last
    # Whisper base's translation of espeak-ng speech through the browser's audio processing
    # varies from run to run ("I live in this house with my family", "Let's go to the house").
    expect(english).to_contain_text(ENGLISH, timeout=CAPTION_TIMEOUT_MS)
    screenshot(resident, "captions-resident-english")
    screenshot(staff, "captions-staff")

    # Anyone can stop them.
    resident_box.get_by_role("button", name="Ondertiteling stoppen").click()
    expect(said(staff_box, "Live ondertiteling is gestopt.")).to_be_visible()
