"""The process-wide speech worker pool: started on first use, in a thread (never blocking the
event loop), from the model chosen in settings."""

from __future__ import annotations

import asyncio
import importlib.util
import threading

from django.conf import settings

from videocontact.language.errors import EngineUnavailable
from videocontact.language.stt import catalog
from videocontact.language.stt.workers import WorkerPool

_lock = threading.Lock()
_pool: WorkerPool | None = None


def chosen_model() -> catalog.InstalledModel | None:
    """LANGUAGE_STT_MODEL by name, else the first multilingual model, else any model."""
    name = getattr(settings, "LANGUAGE_STT_MODEL", "") or None
    if name:
        return catalog.find_model(name)
    return catalog.find_model(multilingual=True) or catalog.find_model()


def unavailable_reason() -> str | None:
    """None when live captions can run here; else why not (shown to the caseworker)."""
    if importlib.util.find_spec("faster_whisper") is None:
        return "faster-whisper is not installed"
    if chosen_model() is None:
        return "no speech model is installed (manage.py stt_install_model)"
    return None


def pool() -> WorkerPool:
    global _pool
    with _lock:
        if _pool is None:
            reason = unavailable_reason()
            if reason:
                raise EngineUnavailable(reason)
            model = chosen_model()
            assert model is not None
            _pool = WorkerPool(
                model.path,
                multilingual=model.multilingual,
                size=settings.LANGUAGE_STT_WORKERS,
                cpu_threads=settings.LANGUAGE_STT_THREADS,
            )
        return _pool


async def apool() -> WorkerPool:
    return await asyncio.to_thread(pool)


def shutdown() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.close()
            _pool = None
