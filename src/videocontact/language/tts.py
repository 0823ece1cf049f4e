"""Server text-to-speech: a small engine interface, espeak-ng behind it, Opus out, and a cache.

Only texts of questionnaire templates are spoken here (never an answer): they are not personal
data, so the audio is kept on disk, keyed by the SHA-256 of engine + voice + language + text."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings

from videocontact.language.errors import EngineUnavailable

MAX_TEXT = 4000  # characters; a question with its help and options is far below this
TIMEOUT = 30  # seconds for one synthesis


class SpeechEngine(Protocol):
    name: str

    def voices(self) -> dict[str, str]:
        """Language code → voice name, for the languages this engine really speaks."""
        ...

    def synthesize_wav(self, text: str, voice: str) -> bytes: ...


# Our language codes → espeak-ng voices (checked against `espeak-ng --voices` at run time).
ESPEAK_VOICES = {
    "nl": "nl",
    "en": "en-gb",
    "ar": "ar",
    "tr": "tr",
    "pl": "pl",
    "uk": "uk",
    "fa": "fa",
    "so": "so",  # not in espeak-ng 1.51: listed so a later version is picked up by itself
    "ti": "ti",
}


class EspeakEngine:
    name = "espeak-ng"

    def __init__(self, binary: str = "espeak-ng") -> None:
        self.binary = shutil.which(binary)

    def voices(self) -> dict[str, str]:
        if not self.binary:
            return {}
        try:
            listing = subprocess.run(  # noqa: S603 (fixed argv, no shell)
                [self.binary, "--voices"], capture_output=True, text=True, timeout=10, check=True
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return {}
        known = {line.split()[1] for line in listing.splitlines()[1:] if len(line.split()) > 1}
        return {lang: voice for lang, voice in ESPEAK_VOICES.items() if voice in known}

    def synthesize_wav(self, text: str, voice: str) -> bytes:
        if not self.binary:
            raise EngineUnavailable("espeak-ng is not installed")
        try:
            result = subprocess.run(  # noqa: S603 (fixed argv, no shell)
                [self.binary, "-v", voice, "-s", "150", "--stdin", "--stdout"],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=TIMEOUT,
                check=True,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise EngineUnavailable(f"espeak-ng failed: {exc}") from exc
        if not result.stdout.startswith(b"RIFF"):
            raise EngineUnavailable("espeak-ng gave no audio")
        return result.stdout


class NoEngine:
    name = "none"

    def voices(self) -> dict[str, str]:
        return {}

    def synthesize_wav(self, text: str, voice: str) -> bytes:
        raise EngineUnavailable("no server speech engine is configured")


@cache
def engine() -> SpeechEngine:
    return EspeakEngine() if settings.LANGUAGE_TTS_ENGINE == "espeak-ng" else NoEngine()


@cache
def server_languages() -> tuple[str, ...]:
    """The languages the server can read aloud on this installation (probed once per process)."""
    return tuple(sorted(engine().voices()))


def wav_to_opus(wav: bytes) -> bytes:
    """Ogg Opus, mono 24 kb/s: a long question is a few tens of kilobytes. In memory only."""
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        raise EngineUnavailable("ffmpeg is not installed")
    try:
        result = subprocess.run(  # noqa: S603 (fixed argv, no shell)
            [
                ffmpeg,
                "-v",
                "error",
                "-f",
                "wav",
                "-i",
                "pipe:0",
                "-ac",
                "1",
                "-c:a",
                "libopus",
                "-b:a",
                "24k",
                "-application",
                "voip",
                "-f",
                "ogg",
                "pipe:1",
            ],
            input=wav,
            capture_output=True,
            timeout=TIMEOUT,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise EngineUnavailable(f"ffmpeg could not encode Opus: {exc}") from exc
    return result.stdout


@dataclass(frozen=True)
class Speech:
    key: str  # SHA-256 hex: the cache key and the ETag
    path: Path


def speech_key(text: str, language: str, voice: str, engine_name: str) -> str:
    return hashlib.sha256(f"{engine_name}\0{voice}\0{language}\0{text}".encode()).hexdigest()


def speech_for_text(text: str, language: str) -> Speech:
    """The cached Opus file for this text, synthesised on first use. Raises EngineUnavailable
    when the server has no voice for the language or the engine fails."""
    text = text.strip()[:MAX_TEXT]
    tts = engine()
    voice = tts.voices().get(language) if language in server_languages() else None
    if voice is None:
        raise EngineUnavailable(f"no server voice for {language!r}", code="no_voice")
    key = speech_key(text, language, voice, tts.name)
    directory: Path = settings.LANGUAGE_SPEECH_DIR / key[:2]
    path = directory / f"{key}.opus"
    if not path.exists():
        opus = wav_to_opus(tts.synthesize_wav(text, voice))
        directory.mkdir(parents=True, exist_ok=True)
        # Write then rename: a concurrent reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(opus)
        os.replace(tmp, path)
    return Speech(key=key, path=path)
