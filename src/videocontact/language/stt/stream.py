"""Voice activity detection on a live audio stream: partial audio while someone speaks, the
whole utterance when they stop. Energy-based with an adaptive noise floor: cheap enough to run
for every speaker in the event loop (the recognition itself runs in worker processes).

Latency (docs/performance.md, "Live captions"): at the first short pause (150 ms) the utterance
so far goes out as a *speculative* partial, marked with a key; if the silence lasts until the
utterance ends (360 ms), the Final carries the same key and the caller uses the speculative
result instead of recognising again — recognition runs during the silence, not after it. No
ordinary partial starts during a pause (it would hold the worker when the final line comes)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from videocontact.language.stt.engine import SAMPLE_RATE

FRAME = SAMPLE_RATE * 30 // 1000  # 30 ms
PRE_ROLL_FRAMES = 7  # ~200 ms kept from before the voice started
START_FRAMES = 2  # voice in 2 frames in a row starts an utterance
PAUSE_FRAMES = 5  # 150 ms of silence: recognise what was said so far (speculative partial)
END_SILENCE_FRAMES = 12  # 360 ms of silence ends it
PARTIAL_EVERY = SAMPLE_RATE  # a partial caption per second of speech
MAX_UTTERANCE = SAMPLE_RATE * 12  # a monologue is cut into 12 s lines
MIN_LEVEL = 0.004  # RMS below this is silence, whatever the noise floor


@dataclass(frozen=True)
class Partial:
    audio: np.ndarray
    key: tuple[int, int] | None = None  # speculative: (utterance, voiced samples) at the pause


@dataclass(frozen=True)
class Final:
    audio: np.ndarray
    key: tuple[int, int] | None = None  # equal to a speculative Partial's: nothing said since


class UtteranceDetector:
    def __init__(
        self,
        *,
        end_silence_frames: int = END_SILENCE_FRAMES,
        pause_frames: int | None = PAUSE_FRAMES,
    ) -> None:
        self.end_silence_frames = end_silence_frames
        self.pause_frames = pause_frames  # None: no speculative partials (the old behaviour)
        self.utterance = 0
        self.voiced_samples = 0
        self.pending = np.zeros(0, dtype=np.float32)
        self.pre_roll: list[np.ndarray] = []
        self.speech: list[np.ndarray] = []
        self.speech_samples = 0
        self.voiced_run = 0
        self.silent_run = 0
        self.next_partial = PARTIAL_EVERY
        self.noise = MIN_LEVEL

    @property
    def speaking(self) -> bool:
        return bool(self.speech)

    def _is_voice(self, frame: np.ndarray) -> bool:
        level = float(np.sqrt(np.mean(frame * frame)))
        voiced = level > max(MIN_LEVEL, self.noise * 3.0)
        if not voiced:  # the noise floor follows the quiet parts only
            self.noise = 0.95 * self.noise + 0.05 * max(level, MIN_LEVEL / 4)
        return voiced

    def feed(self, samples: np.ndarray) -> list[Partial | Final]:
        out: list[Partial | Final] = []
        self.pending = np.concatenate([self.pending, samples.astype(np.float32, copy=False)])
        while len(self.pending) >= FRAME:
            frame, self.pending = self.pending[:FRAME], self.pending[FRAME:]
            voiced = self._is_voice(frame)
            if not self.speech:
                self.pre_roll = [*self.pre_roll[-(PRE_ROLL_FRAMES - 1) :], frame]
                self.voiced_run = self.voiced_run + 1 if voiced else 0
                if self.voiced_run >= START_FRAMES:
                    self.speech = list(self.pre_roll)
                    self.speech_samples = sum(len(f) for f in self.speech)
                    self.voiced_samples = self.speech_samples
                    self.pre_roll, self.silent_run = [], 0
                    self.utterance += 1
                continue
            self.speech.append(frame)
            self.speech_samples += len(frame)
            self.silent_run = 0 if voiced else self.silent_run + 1
            if voiced:
                self.voiced_samples = self.speech_samples
            key = (self.utterance, self.voiced_samples)
            if self.silent_run >= self.end_silence_frames:
                speculated = self.pause_frames is not None and self.silent_run > self.pause_frames
                out.append(Final(self._take(), key if speculated else None))
            elif self.speech_samples >= MAX_UTTERANCE:
                out.append(Final(self._take()))
            elif self.pause_frames is not None and self.silent_run == self.pause_frames:
                out.append(Partial(np.concatenate(self.speech), key))
            elif self.speech_samples >= self.next_partial:
                self.next_partial += PARTIAL_EVERY
                if self.pause_frames is None or self.silent_run == 0:
                    out.append(Partial(np.concatenate(self.speech)))
        return out

    def flush(self) -> Final | None:
        """The speaker stopped sending (muted, left): what they said so far is final."""
        return Final(self._take()) if self.speech else None

    def _take(self) -> np.ndarray:
        audio = np.concatenate(self.speech)
        self.speech, self.speech_samples, self.voiced_run, self.silent_run = [], 0, 0, 0
        self.next_partial = PARTIAL_EVERY
        return audio
