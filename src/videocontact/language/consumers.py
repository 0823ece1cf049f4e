"""The captions audio socket: a participant who agreed to captions sends their microphone as
Opus packets (`?codec=opus`, WebCodecs) or, where the browser has no AudioEncoder, as 16 kHz
mono 16-bit PCM (binary frames); caption lines go to everyone over the room socket.

Audio is kept in memory only, for the utterance being spoken. Recognition runs in the worker
processes; when they are busy the line is skipped and everyone sees "captions paused"."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import secrets
import uuid
from typing import Any
from urllib.parse import parse_qs

import numpy as np
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings

from videocontact.language import captions, mt
from videocontact.language.errors import EngineUnavailable, LanguageError
from videocontact.language.stt import service as stt_service
from videocontact.language.stt.engine import Recognition, pcm16_to_float
from videocontact.language.stt.opus import BadAudio, OpusStream
from videocontact.language.stt.stream import Final, Partial, UtteranceDetector
from videocontact.language.stt.workers import Busy, WorkerPool
from videocontact.rooms import events
from videocontact.rooms.access import can_join
from videocontact.visits.models import ParticipantState

log = logging.getLogger(__name__)
MAX_MESSAGE = 32_000  # bytes: one second of audio at most per message
CLOSE_UNAUTHORISED = 4401
CLOSE_NOT_ON = 4403
CLOSE_UNAVAILABLE = 4503
CLOSE_BAD_AUDIO = 1007
# A running partial holds the worker when the line ends: a partial (ordinary or speculative) is
# only started when this speaker's last recognition took at most this long. Whisper's cost hardly
# depends on the length of the audio (it always encodes a 30 s window), so the last duration
# predicts the next one better than a real-time factor. Always speculating was measured: the
# wasted guesses at mid-sentence pauses made the final lines wait 1-4 s for the worker.
PARTIAL_BUDGET_S = 1.0
_ids = itertools.count(1)
# Line ids are unique across processes too: after a restart the pages still show lines of the
# old process, and a new line with an old id would overwrite one instead of appearing.
_PROCESS = secrets.token_hex(4)


def _line_id() -> str:
    return f"{_PROCESS}-{next(_ids)}"


def _speaker(visit_id: uuid.UUID, user: Any, session: Any) -> dict[str, Any] | None:
    identity = can_join(visit_id=visit_id, user=user, session=session)
    if identity is None or identity.participant.state != ParticipantState.ADMITTED:
        return None
    participant = identity.participant
    language = settings.LANGUAGE_CODE if identity.is_staff else participant.ui_language
    return {"participant": participant, "role": participant.role, "language": language}


class CaptionAudioConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.visit_id: uuid.UUID = self.scope["url_route"]["kwargs"]["visit_id"]
        self.detector = UtteranceDetector()
        self.task: asyncio.Task[None] | None = None
        self.pending_final: Final | None = None
        self.pending_partial: Partial | None = None
        # The result of the latest speculative partial (recognised during a pause): the final
        # line with the same key uses it instead of recognising again (stt/stream.py).
        self.guess: tuple[tuple[int, int], Recognition] | None = None
        self.last_took = 0.0  # seconds this speaker's last recognition took
        self.line = _line_id()
        self.paused = False
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.opus: OpusStream | None = None
        self.received = 0  # bytes of audio, logged when the socket closes (uplink per speaker)
        self.opened = asyncio.get_running_loop().time()
        await self.accept()
        if query.get("codec") == ["opus"]:
            try:
                self.opus = OpusStream()
            except ImportError:  # no PyAV: the page falls back to PCM on the next connection
                await self.close(code=CLOSE_UNAVAILABLE)
                return
        speaker = await database_sync_to_async(_speaker)(
            self.visit_id, self.scope.get("user"), self.scope.get("session")
        )
        if speaker is None:
            await self.close(code=CLOSE_UNAUTHORISED)
            return
        self.participant = speaker["participant"]
        self.role, self.language = speaker["role"], speaker["language"]
        self.session = await database_sync_to_async(captions.may_send_audio)(
            self.visit_id, self.participant.id
        )
        if self.session is None:
            await self.close(code=CLOSE_NOT_ON)
            return
        try:
            self.pool: WorkerPool = await stt_service.apool()
        except EngineUnavailable as exc:
            await self.send_json({"type": "error", "code": exc.code, "message": exc.message})
            await self.close(code=CLOSE_UNAVAILABLE)

    async def send_json(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(frame))

    async def disconnect(self, code: int) -> None:
        """What was said before the microphone went away is still captioned."""
        if self.received:
            seconds = asyncio.get_running_loop().time() - self.opened
            log.info(
                "captions.audio_closed codec=%s bytes=%d seconds=%.1f kbit_s=%.1f",
                "opus" if self.opus else "pcm",
                self.received,
                seconds,
                self.received * 8 / 1000 / max(seconds, 0.001),
            )
        final = self.detector.flush() if hasattr(self, "pool") else None
        if self.task is not None:
            await asyncio.gather(self.task, return_exceptions=True)
        if final is not None:
            await self._recognize(final.audio, final=True)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not hasattr(self, "pool") or bytes_data is None:
            return
        if len(bytes_data) > MAX_MESSAGE or (self.opus is None and len(bytes_data) % 2):
            await self.close(code=1009)
            return
        self.received += len(bytes_data)
        try:
            samples = self.opus.decode(bytes_data) if self.opus else pcm16_to_float(bytes_data)
        except BadAudio:
            await self.close(code=CLOSE_BAD_AUDIO)
            return
        for event in self.detector.feed(samples):
            if isinstance(event, Partial):
                self.pending_partial = event  # only the latest partial is worth doing
            elif isinstance(event, Final):
                if self.pending_final is not None:
                    await self._set_paused(True)  # two lines behind: the older one is lost
                self.pending_final, self.pending_partial = event, None
        self._kick()

    def _kick(self) -> None:
        """One recognition at a time per speaker: a final line first, else the latest partial."""
        if self.task is not None and not self.task.done():
            return
        event: Final | Partial | None
        if self.pending_final is not None:
            event, self.pending_final = self.pending_final, None
            self.task = asyncio.create_task(self._run(event.audio, final=True, key=event.key))
        elif self.pending_partial is not None:
            event, self.pending_partial = self.pending_partial, None
            if self.last_took > PARTIAL_BUDGET_S:
                return  # too slow here for partial lines: keep the worker for the final one
            self.task = asyncio.create_task(self._run(event.audio, final=False, key=event.key))

    async def _run(
        self, audio: np.ndarray, *, final: bool, key: tuple[int, int] | None = None
    ) -> None:
        try:
            if final:
                self.session = await database_sync_to_async(captions.may_send_audio)(
                    self.visit_id, self.participant.id
                )
                if self.session is None:  # stopped by someone: nothing more from this microphone
                    await self.close(code=CLOSE_NOT_ON)
                    return
            await self._recognize(audio, final=final, key=key)
        except Exception:
            log.exception("captions.line_failed")
            raise
        finally:
            self.task = None
            if self.pending_final is not None or self.pending_partial is not None:
                self._kick()

    async def _recognize(
        self, audio: np.ndarray, *, final: bool, key: tuple[int, int] | None = None
    ) -> None:
        line = self.line
        guess, self.guess = self.guess, None
        if final:
            self.line = _line_id()
        if final and key is not None and guess is not None and guess[0] == key:
            result = guess[1]  # recognised during the pause; nothing was said since
        else:
            began = asyncio.get_running_loop().time()
            try:
                result = await self.pool.arecognize(audio, language=self.language)
                self.last_took = asyncio.get_running_loop().time() - began
            except Busy:
                await self._set_paused(True)
                return
            except EngineUnavailable as exc:
                log.warning("captions.recognition_failed %s", exc)
                await self._set_paused(True)
                return
        if not final and key is not None:
            self.guess = (key, result)
        await self._set_paused(False)
        if not result.text:
            return
        frame: dict[str, Any] = {
            "type": "caption",
            "line": f"{self.participant.id}-{line}",
            "final": final,
            "role": self.role,
            "speaker": str(self.participant.id),
            "language": result.language,
            "text": result.text,
            "translations": {},
        }
        if final:
            frame["translations"] = await self._translations(audio, result.text, result.language)
            await database_sync_to_async(captions.transcript_add)(
                session_id=self.session.id,
                role=self.role,
                language=result.language,
                text=result.text,
            )
        await self._broadcast(frame)

    async def _translations(self, audio: np.ndarray, text: str, source: str) -> dict[str, Any]:
        """The final line in every language a reader chose: Whisper's own translate task for
        English, the machine-translation interface for the other pairs that work here."""
        wanted = await database_sync_to_async(captions.reader_languages)(self.session.id)
        out: dict[str, Any] = {}
        for target in sorted(wanted - {source}):
            try:
                if target == "en" and self.pool.multilingual:
                    result = await self.pool.arecognize(audio, language=source, task="translate")
                    out[target] = {"text": result.text, "engine": "whisper", "machine": True}
                else:
                    translation = await asyncio.to_thread(mt.translate, text, source, target)
                    out[target] = {
                        "text": translation.text,
                        "engine": translation.engine,
                        "machine": True,
                    }
            except (Busy, LanguageError):
                continue  # that reader sees the original, marked as untranslated
        return out

    async def _set_paused(self, paused: bool) -> None:
        if paused == self.paused:
            return
        self.paused = paused
        await self._broadcast(
            {"type": "captions-status", "paused": paused, "speaker": str(self.participant.id)}
        )

    async def _broadcast(self, frame: dict[str, Any]) -> None:
        layer = get_channel_layer()
        if layer is not None:
            await layer.group_send(events.visit_group(self.visit_id), events.frame_event(frame))
