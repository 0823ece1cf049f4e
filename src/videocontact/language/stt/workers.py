"""Recognition in separate worker processes, never in the ASGI event loop.

Each worker loads one model once and takes one utterance at a time. When every worker is busy
the pool refuses at once (`Busy`): the caller shows "captions paused" instead of letting a queue
grow. Audio goes over a pipe, in memory only."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from videocontact.language.errors import EngineUnavailable, LanguageError
from videocontact.language.stt.engine import FasterWhisperRecognizer, Recognition


class Busy(LanguageError):
    code = "captions_paused"


def _serve(conn: Connection, model_path: str, multilingual: bool, cpu_threads: int) -> None:
    try:
        recognizer = FasterWhisperRecognizer(
            Path(model_path), multilingual=multilingual, cpu_threads=cpu_threads
        )
    except EngineUnavailable as exc:
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        audio_bytes, language, task = job
        try:
            audio = np.frombuffer(audio_bytes, dtype=np.float32)
            result = recognizer.recognize(audio, language=language, task=task)
            conn.send(("ok", (result.text, result.language, result.seconds)))
        except Exception as exc:  # one bad utterance must not end the worker
            conn.send(("error", str(exc)))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    lock: threading.Lock


class WorkerPool:
    def __init__(
        self, model_path: Path, *, multilingual: bool, size: int = 1, cpu_threads: int = 1
    ) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self.multilingual = multilingual
        self.workers: list[_Worker] = []
        for _ in range(size):
            parent, child = context.Pipe()
            process = context.Process(
                target=_serve,
                args=(child, str(model_path), multilingual, cpu_threads),
                daemon=True,
            )
            process.start()
            child.close()
            self.workers.append(_Worker(process, parent, threading.Lock()))
        for worker in self.workers:
            status, message = worker.conn.recv()
            if status != "ready":
                self.close()
                raise EngineUnavailable(message or "the speech worker did not start")

    def recognize(
        self, audio: np.ndarray, *, language: str | None, task: str = "transcribe"
    ) -> Recognition:
        """Blocking; raises Busy at once when no worker is free."""
        for worker in self.workers:
            if worker.lock.acquire(blocking=False):
                try:
                    if not worker.process.is_alive():
                        raise EngineUnavailable("the speech worker stopped")
                    worker.conn.send((audio.astype(np.float32).tobytes(), language, task))
                    status, payload = worker.conn.recv()
                finally:
                    worker.lock.release()
                if status != "ok":
                    raise EngineUnavailable(f"recognition failed: {payload}")
                text, spoken, seconds = payload
                return Recognition(text=text, language=spoken, seconds=seconds)
        raise Busy("every speech worker is busy")

    async def arecognize(
        self, audio: np.ndarray, *, language: str | None, task: str = "transcribe"
    ) -> Recognition:
        """For the event loop: the wait happens in a thread, the work in a worker process."""
        return await asyncio.to_thread(self.recognize, audio, language=language, task=task)

    def close(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.terminate()
