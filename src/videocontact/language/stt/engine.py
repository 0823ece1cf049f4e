"""The speech recognizer interface and faster-whisper (CTranslate2, int8 on CPU) behind it.

Audio is 16 kHz mono float32 in memory; nothing is written to disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from videocontact.language.errors import EngineUnavailable

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class Recognition:
    text: str
    language: str  # the language of the text: the spoken one, or "en" after translate
    seconds: float  # length of the audio


class Recognizer(Protocol):
    name: str
    multilingual: bool

    def recognize(
        self, audio: np.ndarray, *, language: str | None, task: str = "transcribe"
    ) -> Recognition: ...


class FasterWhisperRecognizer:
    """One loaded model. Load it in a worker process, never in the ASGI process."""

    name = "faster-whisper"

    def __init__(self, model_path: Path, *, multilingual: bool, cpu_threads: int = 1) -> None:
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise EngineUnavailable("faster-whisper is not installed") from exc
        try:
            self.model: Any = WhisperModel(
                str(model_path), device="cpu", compute_type="int8", cpu_threads=cpu_threads
            )
        except Exception as exc:  # a broken model directory makes captions unavailable
            raise EngineUnavailable(f"the speech model could not be loaded: {exc}") from exc
        self.multilingual = multilingual

    def recognize(
        self, audio: np.ndarray, *, language: str | None, task: str = "transcribe"
    ) -> Recognition:
        if not self.multilingual:
            language, task = "en", "transcribe"  # an English-only model can do nothing else
        segments, info = self.model.transcribe(
            audio.astype(np.float32, copy=False),
            language=language,
            task=task,
            beam_size=1,  # greedy: live captions favour speed over the last bit of accuracy
            temperature=0.0,  # one pass: no re-decoding at higher temperatures on a doubtful line
            condition_on_previous_text=False,
            without_timestamps=True,
            vad_filter=False,  # the caller already cut the audio at voice activity
        )
        text = " ".join(segment.text.strip() for segment in segments).strip()
        spoken = language or info.language
        return Recognition(
            text=text,
            language="en" if task == "translate" else spoken,
            seconds=len(audio) / SAMPLE_RATE,
        )


def pcm16_to_float(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
