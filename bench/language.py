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
4. Live: end of utterance → final caption as the captions socket schedules it (one recognition
   at a time per speaker, a final line before the latest partial, partial lines while someone
   speaks): recorded English fed in real time with pauses; the clock starts at the end of each
   clip's voice and stops when its final line is recognised.
5. Read aloud: time to the first byte of audio for a question never spoken before (espeak-ng +
   Opus encoding), and from the cache.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocontact.conf.test")
django.setup()

import numpy as np  # noqa: E402
from tests.language.speech import ensure_models, espeak, librivox  # noqa: E402

from videocontact.language import tts  # noqa: E402
from videocontact.language.consumers import PARTIAL_BUDGET_S  # noqa: E402
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


LIVE_SETTINGS = {
    # before: 600 ms of silence ends a line, partials also during a pause, no speculation
    "before": {"end_silence_frames": 20, "pause_frames": None},
    "now": {},  # stt/stream.py's defaults
}


def live_latency(
    models: dict,
    modes: tuple[str, ...],
    names: tuple[str, ...] = ("base",),
    threads: tuple[int, ...] = (1,),
) -> None:
    print("\n## Live: end of utterance → final caption (consumer's scheduling, real time)")
    for name, mode, cpu_threads in itertools.product(names, modes, threads):
        pool = WorkerPool(
            models[name].path, multilingual=models[name].multilingual, cpu_threads=cpu_threads
        )
        try:
            rows = _live(pool, UtteranceDetector(**LIVE_SETTINGS[mode]), budget=mode == "now")
        finally:
            pool.close()
        total = [r[0] for r in rows]
        print(
            f"- {name}, {mode}, {cpu_threads} thread(s): end of voice → caption median {statistics.median(total):.2f} s"
            f" ({', '.join(f'{x:.2f}' for x in total)}); of which until the line ends "
            f"{statistics.median(r[1] for r in rows):.2f} s, waiting for the worker "
            f"{statistics.median(r[2] for r in rows):.2f} s, recognising "
            f"{statistics.median(r[3] for r in rows):.2f} s"
        )


def _live(
    pool: WorkerPool, detector: UtteranceDetector, *, budget: bool
) -> list[tuple[float, ...]]:
    """As consumers.CaptionAudioConsumer schedules: one recognition at a time, a final line
    before the latest partial, a final line with a speculative partial's key reuses its result.
    Returns per clip: (total, end of voice → Final event, event → recognition start, recognition)."""
    # 4 s between utterances (the other person's turn): the worker can catch up, so what is
    # measured is each line's own path, not a backlog.
    pause = np.zeros(64000, dtype=np.float32)
    pool.recognize(pause, language="en")
    chunk = 1600
    lock = threading.Lock()
    state: dict = {"final": None, "partial": None, "busy": False, "clip": 0, "guess": None}
    state["took"] = 0.0
    done: dict[int, tuple[float, float, float]] = {}  # clip → (event, start, end) of its last final

    def kick() -> None:
        with lock:
            if state["busy"]:
                return
            if state["final"] is not None:
                job, state["final"], kind = state["final"], None, "final"
            elif state["partial"] is not None:
                job, state["partial"], kind = state["partial"], None, "partial"
                if budget and state["took"] > PARTIAL_BUDGET_S:
                    return
            else:
                return
            state["busy"] = True
        threading.Thread(target=run, args=(*job, kind)).start()

    def run(event: Any, at: float, clip: int, kind: str) -> None:
        began = time.perf_counter()
        guess, state["guess"] = state["guess"], None
        if not (kind == "final" and event.key and guess and guess[0] == event.key):
            pool.recognize(event.audio, language="en")
            state["took"] = time.perf_counter() - began
        if kind == "partial" and event.key:
            state["guess"] = (event.key, True)
        if kind == "final":
            done[clip] = (at, began, time.perf_counter())
        with lock:
            state["busy"] = False
        kick()

    ends: list[float] = []
    start = time.perf_counter()
    for index, clip in enumerate(CLIPS):
        for audio, voiced in ((librivox(clip)[0], True), (pause, False)):
            for i in range(0, len(audio), chunk):
                ahead = start + (i + chunk) / 16000 - time.perf_counter()
                if ahead > 0:
                    time.sleep(ahead)
                for event in detector.feed(audio[i : i + chunk]):
                    job = (event, time.perf_counter(), index)
                    with lock:
                        if isinstance(event, Final):
                            state["final"], state["partial"] = job, None
                        else:
                            state["partial"] = job
                    kick()
            if voiced:
                ends.append(start + len(audio) / 16000)
            start += len(audio) / 16000
    deadline = time.perf_counter() + 60
    while (state["busy"] or state["final"] is not None) and time.perf_counter() < deadline:
        time.sleep(0.05)
    return [
        (done[i][2] - end, done[i][0] - end, done[i][1] - done[i][0], done[i][2] - done[i][1])
        for i, end in enumerate(ends)
        if i in done
    ]


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
    parser.add_argument("--only", choices=["rtf", "latency", "live", "cpu", "tts"])
    parser.add_argument("--live", default="before,now", help="before,now: the VAD settings")
    parser.add_argument("--threads", default="1", help="CPU threads per worker, e.g. 1,2")
    args = parser.parse_args()
    models = {name: ensure_models()[name] for name in ("tiny.en", "base")}
    load = os.getloadavg()[0]
    print(f"Machine: {os.cpu_count()} CPUs, load average {load:.1f}; int8, 1 thread per worker\n")
    if args.only in (None, "rtf"):
        rtf(models)
    if args.only in (None, "latency"):
        latency(models)
    if args.only in (None, "live"):
        threads = tuple(int(t) for t in args.threads.split(","))
        live_latency(models, tuple(args.live.split(",")), threads=threads)
    if args.only in (None, "cpu"):
        cpu_per_call(models, args.seconds)
    if args.only in (None, "tts"):
        tts_first_audio()


if __name__ == "__main__":
    main()
