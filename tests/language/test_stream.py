"""Voice activity detection: a speculative partial at the first pause, and a final line that
carries its key only when nothing was said since (the consumer then reuses its result)."""

from __future__ import annotations

import numpy as np

from videocontact.language.stt.stream import FRAME, Final, Partial, UtteranceDetector

RATE = 16000


def voice(seconds: float) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(RATE * seconds), dtype=np.float32)


def events(*parts: np.ndarray, **settings: int | None) -> list[Partial | Final]:
    detector = UtteranceDetector(**settings)  # type: ignore[arg-type]
    out: list[Partial | Final] = []
    for part in parts:
        for start in range(0, len(part), 1600):  # 100 ms messages
            out += detector.feed(part[start : start + 1600])
    return out


def test_a_pause_gives_a_speculative_partial_that_the_final_line_matches() -> None:
    out = events(silence(0.3), voice(1.5), silence(0.6))
    speculative = [e for e in out if isinstance(e, Partial) and e.key is not None]
    finals = [e for e in out if isinstance(e, Final)]
    assert len(speculative) == 1 and len(finals) == 1
    assert finals[0].key == speculative[0].key
    # The line ends after 360 ms of silence (it was 600 ms): the final holds ~1.5 s + pre-roll.
    assert abs(len(finals[0].audio) - RATE * 1.5) < RATE * 0.7


def test_speaking_again_after_the_pause_changes_the_key() -> None:
    out = events(silence(0.3), voice(1.0), silence(0.2), voice(1.0), silence(0.6))
    speculative = [e for e in out if isinstance(e, Partial) and e.key is not None]
    final = next(e for e in out if isinstance(e, Final))
    assert len(speculative) == 2
    assert final.key == speculative[-1].key != speculative[0].key


def test_no_ordinary_partial_starts_during_a_pause() -> None:
    out = events(silence(0.3), voice(0.8), silence(0.3))
    ordinary = [e for e in out if isinstance(e, Partial) and e.key is None]
    assert ordinary == []  # the second of speech fell in the pause: the speculative one covers it


def test_the_old_settings_still_work() -> None:
    out = events(silence(0.3), voice(1.5), silence(0.8), end_silence_frames=20, pause_frames=None)
    assert isinstance(out[-1], Final) and out[-1].key is None
    assert all(isinstance(e, Partial) and e.key is None for e in out[:-1])
    assert FRAME == 480
