"""Benchmark: language access on this machine.

    PYTHONPATH=src:. DJANGO_SETTINGS_MODULE=videocontact.conf.test \\
        .venv/bin/python bench/language.py [--seconds 30]

1. Real-time factor per installed Whisper model (int8, one CPU thread per worker): recognition
   time / audio length, on recorded English (pocketsphinx-testdata) and espeak-ng Dutch.
2. End of utterance → caption line: the voice-activity hangover (the silence that ends a line)
   plus the worker's recognition time for that line, plus the Whisper translate pass when a
   reader chose English. Measured on real worker processes with the pipe in between.
3. CPU per captioned call: one speaker talking continuously in real time (LibriVox sentences
   with short pauses), partial lines each second while the worker is free, every final line;
   CPU seconds of the worker process per second of call.
4. Read aloud: time to the first byte of audio for a question never spoken before (espeak-ng +
   Opus encoding), and from the cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocontact.conf.test")
django.setup()

import numpy as np  # noqa: E402
from tests.language.speech import ensure_models, espeak, librivox  # noqa: E402

from videocontact.language import tts  # noqa: E402
from videocontact.language.stt import catalog  # noqa: E402
from videocontact.language.stt.engine import FasterWhisperRecognizer  # noqa: E402
from videocontact.language.stt.stream import (  # noqa: E402
    END_SILENCE_FRAMES,
    FRAME,
    Final,
    UtteranceDetector,
)
from videocontact.language.stt.workers import Busy, WorkerPool  # noqa: E402

CLIPS = ("0870", "0880", "0890", "0920", "0930")
HANGOVER_S = END_SILENCE_FRAMES * FRAME / 16000


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rtf(models: dict) -> None:
    print("## Real-time factor (recognition time / audio length; lower is faster)")
    dutch = espeak("De gemeente onderzoekt wie er op dit adres woont.", "nl")
    for name, model in models.items():
        recognizer = FasterWhisperRecognizer(model.path, multilingual=model.multilingual)
        recognizer.recognize(librivox("0880")[0], language="en")  # warm-up
        for label, items in (
            ("English (recorded)", [librivox(c)[0] for c in CLIPS]),
            ("Dutch (espeak-ng)", [dutch] if model.multilingual else []),
        ):
            if not items:
                continue
            spent = seconds = 0.0
            for audio in items:
                start = time.perf_counter()
                recognizer.recognize(audio, language="en" if "English" in label else "nl")
                spent += time.perf_counter() - start
                seconds += len(audio) / 16000
            print(f"- {name}, {label}: RTF {spent / seconds:.2f} over {seconds:.1f} s of audio")
            if "English" in label:
                catalog.record_rtf(name, spent / seconds)  # shown on the admin's engine page


def latency(models: dict) -> None:
    print("\n## End of utterance → caption (hangover + recognition in the worker)")
    for name, model in models.items():
        pool = WorkerPool(model.path, multilingual=model.multilingual)
        try:
            pool.recognize(librivox("0880")[0], language="en")
            results = []
            for clip in CLIPS:
                audio = librivox(clip)[0]
                start = time.perf_counter()
                pool.recognize(audio, language="en")
                recognised = time.perf_counter() - start
                translated = 0.0
                if model.multilingual:
                    start = time.perf_counter()
                    pool.recognize(audio, language="en", task="translate")
                    translated = time.perf_counter() - start
                results.append((len(audio) / 16000, recognised, translated))
            for seconds, recognised, translated in results:
                line = f"- {name}, {seconds:.1f} s utterance: {HANGOVER_S + recognised:.2f} s"
                if translated:
                    line += f" (+{translated:.2f} s for the English line)"
                print(line)
            median = statistics.median(HANGOVER_S + r for _, r, _ in results)
            print(f"- {name}: median {median:.2f} s (hangover {HANGOVER_S:.2f} s included)")
        finally:
            pool.close()


def cpu_per_call(models: dict, seconds: float) -> None:
    print(f"\n## CPU per captioned call ({seconds:.0f} s of continuous speech, real time)")
    pause = np.zeros(8000, dtype=np.float32)
    speech = np.concatenate([part for c in CLIPS for part in (librivox(c)[0], pause)])
    for name, model in models.items():
        pool = WorkerPool(model.path, multilingual=model.multilingual)
        try:
            pool.recognize(pause, language="en")
            pid = pool.workers[0].process.pid
            detector = UtteranceDetector()
            before, start, chunk = cpu_seconds(pid), time.perf_counter(), 1600
            counts = {"final": 0, "partial": 0, "shed": 0}
            busy = threading.Lock()

            def run(
                audio: np.ndarray,
                kind: str,
                pool: WorkerPool = pool,
                counts: dict[str, int] = counts,
                busy: threading.Lock = busy,
            ) -> None:
                try:
                    pool.recognize(audio, language="en")
                    counts[kind] += 1
                except Busy:
                    counts["shed"] += 1
                finally:
                    busy.release()

            position = 0
            while time.perf_counter() - start < seconds:
                piece = speech[position % len(speech) : position % len(speech) + chunk]
                position += chunk
                for event in detector.feed(piece):
                    kind = "final" if isinstance(event, Final) else "partial"
                    # As the consumer: a line is recognised while the speaker goes on talking;
                    # when the worker is still busy, this one is shed.
                    if busy.acquire(blocking=False):
                        threading.Thread(target=run, args=(event.audio, kind)).start()
                    else:
                        counts["shed"] += 1
                ahead = position / 16000 - (time.perf_counter() - start)
                if ahead > 0:
                    time.sleep(ahead)
            with busy:
                pass
            wall = time.perf_counter() - start
            used = cpu_seconds(pid) - before
            print(
                f"- {name}: {used / wall:.2f} CPU cores per speaking participant "
                f"({counts['final']} final and {counts['partial']} partial lines done, "
                f"{counts['shed']} shed)"
            )
        finally:
            pool.close()


def tts_first_audio() -> None:
    print("\n## Read aloud: time to the audio of one question")
    with tempfile.TemporaryDirectory() as directory:
        from django.conf import settings

        settings.LANGUAGE_SPEECH_DIR = Path(directory)
        text = "Woont er nog iemand anders op dit adres? Bijvoorbeeld een partner, kinderen of een huurder."
        for language, sentence in (("nl", text), ("ar", "هل يسكن شخص آخر في هذا العنوان؟")):
            start = time.perf_counter()
            speech = tts.speech_for_text(sentence, language)
            cold = time.perf_counter() - start
            start = time.perf_counter()
            tts.speech_for_text(sentence, language)
            cached = time.perf_counter() - start
            size = speech.path.stat().st_size
            print(
                f"- {language}: first time {cold * 1000:.0f} ms (espeak-ng + Opus), "
                f"cached {cached * 1000:.1f} ms, {size / 1024:.1f} KiB"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--only", choices=["rtf", "latency", "cpu", "tts"])
    args = parser.parse_args()
    models = {name: ensure_models()[name] for name in ("tiny.en", "base")}
    load = os.getloadavg()[0]
    print(f"Machine: {os.cpu_count()} CPUs, load average {load:.1f}; int8, 1 thread per worker\n")
    if args.only in (None, "rtf"):
        rtf(models)
    if args.only in (None, "latency"):
        latency(models)
    if args.only in (None, "cpu"):
        cpu_per_call(models, args.seconds)
    if args.only in (None, "tts"):
        tts_first_audio()


if __name__ == "__main__":
    main()
