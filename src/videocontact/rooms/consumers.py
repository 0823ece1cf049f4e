"""The room: one WebSocket per participant per visit. Thin: validate, authorise, call services."""

from __future__ import annotations

import asyncio
import json
import math
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from videocontact.core import metrics
from videocontact.core.errors import ServiceError
from videocontact.rooms import events, frames
from videocontact.rooms import services as room_services
from videocontact.rooms.access import RoomIdentity
from videocontact.rooms.frames import FrameContext, FrameError
from videocontact.rooms.handlers import ice_payload
from videocontact.rooms.lane import FrameLane
from videocontact.rooms.ratelimit import TokenBucket
from videocontact.signin.sessions import session_group
from videocontact.visits.errors import VisitError
from videocontact.visits.models import Participant

log = structlog.get_logger("rooms")

CLOSE_UNAUTHORISED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_REPLACED = 4409
CLOSE_ENDED = 4410
CLOSE_FULL = 4429
CLOSE_TRY_AGAIN = 1013  # the channel layer (Redis) is down: the page reconnects with back-off

PROTOCOL = "vc.v1"  # the WebSocket subprotocol of docs/protocol.md
RESUME_PREFIX = "vc.resume."  # a second subprotocol carries the resume secret (not in the URL)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses as infinity
        raise ValueError(f"{text[:20]} is out of range")
    return value


class RoomConsumer(FrameLane, AsyncWebsocketConsumer):
    identity: RoomIdentity | None = None
    peer_id: uuid.UUID | None = None
    closing = False  # once closed, nothing more is read or sent (no "send after close")
    leaving = False
    layer_lost = False

    # Channels sets `channel_receive` to the layer's receive; it is wrapped so that a lost
    # channel layer (Redis down) closes this socket cleanly (the page reconnects and resumes
    # when Redis is back) instead of ending the consumer with a traceback.
    @property
    def channel_receive(self) -> Callable[[], Awaitable[dict[str, Any]]]:
        return self._receive_from_layer

    @channel_receive.setter
    def channel_receive(self, receive: Callable[[], Awaitable[dict[str, Any]]]) -> None:
        self._layer_receive = receive

    async def _receive_from_layer(self) -> dict[str, Any]:
        if self.layer_lost:
            await asyncio.sleep(1.0)  # the socket is closing; do not spin on a dead layer
            return {"type": "room.idle"}
        try:
            return await self._layer_receive()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # redis ConnectionError, TimeoutError, …
            self.layer_lost = True
            log.warning("room.layer_lost", peer=str(self.peer_id), error=type(exc).__name__)
            return {"type": "room.layer_lost"}

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels' own dispatch first runs close_old_connections through the thread-sensitive
        # executor: a thread hop for every frame and every relayed event, queued behind whatever
        # database call that thread is busy with. Every database call here goes through
        # db_run (database_sync_to_async), which does that itself, in its own thread.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    async def room_layer_lost(self, event: dict[str, Any]) -> None:
        await self.safe_send_error("unavailable", "the server lost its message bus; reconnect")
        await self.close(code=CLOSE_TRY_AGAIN)

    async def room_idle(self, event: dict[str, Any]) -> None:
        return None

    async def connect(self) -> None:
        self.visit_id: uuid.UUID = self.scope["url_route"]["kwargs"]["visit_id"]
        self.admitted = False
        self.known_peers: set[str] = set()
        self.presence_seq = 0  # the newest presence snapshot this page got (rooms/sequence.py)
        self.groups_joined: list[str] = []
        self.bucket = TokenBucket(settings.ROOM_RATE_PER_SECOND, settings.ROOM_RATE_BURST)
        offered = [str(p) for p in self.scope.get("subprotocols") or []]
        await self.accept(subprotocol=PROTOCOL if PROTOCOL in offered else None)
        resume = next(
            (p.removeprefix(RESUME_PREFIX) for p in offered if p.startswith(RESUME_PREFIX)), None
        )
        try:
            joined = await frames.db_run(
                room_services.room_join,
                visit_id=self.visit_id,
                user=self.scope.get("user"),
                session=self.scope.get("session"),
                channel_name=self.channel_name,
                resume=resume,
            )
        except VisitError as exc:
            code = CLOSE_FULL if exc.code == "room_full" else CLOSE_FORBIDDEN
            await self.refuse(exc.code, str(exc), code)
            return
        if joined is None:
            await self.refuse("unauthorized", "no access to this visit", CLOSE_UNAUTHORISED)
            return
        self.identity = joined.identity
        self.counted = True
        metrics.WEBSOCKETS.inc()
        state = joined.state
        self.peer_id = joined.connection.peer_id
        self.new_device = joined.new_device
        try:
            if not self.new_device:  # a new device hears nothing meant for the participant yet
                await self.join_group(events.participant_group(self.participant.id))
            await self.join_group(events.peer_group(self.peer_id))
            if self.identity.is_staff:
                await self.join_group(events.staff_group(self.visit_id))
                session_key = getattr(self.scope.get("session"), "session_key", None)
                if session_key:  # signing out (or ending the session elsewhere) ends the call here
                    await self.join_group(session_group(session_key))
        except Exception as exc:  # the channel layer (Redis) is down
            log.warning("room.layer_unavailable", peer=str(self.peer_id), error=type(exc).__name__)
            self.layer_lost = True
            await self.refuse("unavailable", "the server is not ready; reconnect", CLOSE_TRY_AGAIN)
            return
        welcome = self.welcome_frame(state)
        if self.new_device:
            welcome["newDevice"] = True
        if joined.resume is not None:
            welcome["resume"] = joined.resume  # kept by the page for this tab only
        if joined.peers is not None:
            # The peer list rides along so the page can start negotiating at once.
            welcome["peers"] = joined.peers
            self.known_peers = {peer["peerId"] for peer in joined.peers}
            self.presence_seq = joined.presence_seq
        await self.send_frame(welcome)
        if state == "admitted":
            await self.enter_call()
        log.info("room.connected", visit=str(self.visit_id), peer=str(self.peer_id), state=state)

    @property
    def participant(self) -> Participant:
        assert self.identity is not None
        return self.identity.participant

    def welcome_frame(self, state: str) -> dict[str, Any]:
        return {
            "type": "welcome",
            "v": 1,
            "self": {
                "peerId": str(self.peer_id),
                "participantId": str(self.participant.id),
                "role": self.participant.role,
                "name": self.participant.display_name,
            },
            "state": state,
            "maxParticipants": settings.VISIT_MAX_PARTICIPANTS,
            **self.ice_payload(),
        }

    def ice_payload(self) -> dict[str, Any]:
        return ice_payload(str(self.peer_id))

    async def refuse(self, code: str, message: str, close_code: int) -> None:
        await self.send_error(code, message)
        await self.close(code=close_code)

    async def join_group(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.append(group)

    async def enter_call(self) -> None:
        self.admitted = True
        await self.join_group(events.visit_group(self.visit_id))
        await frames.db_run(room_services.presence_publish_now, visit_id=self.visit_id)
        for frame in await frames.db_run(frames.join_frames, self.identity):
            await self.send_frame(frame)

    async def disconnect(self, code: int) -> None:
        await self.drain_lane()
        if getattr(self, "counted", False):
            self.counted = False
            metrics.WEBSOCKETS.dec()
        for group in self.groups_joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # Redis down: its group keys expire by themselves
                break
        if self.peer_id is not None:
            await frames.db_run(
                room_services.connection_close, peer_id=self.peer_id, channel_name=self.channel_name
            )
            log.info(
                "room.disconnected", visit=str(self.visit_id), peer=str(self.peer_id), code=code
            )

    # Inbound ---------------------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Decode → look up → validate → authorise → dispatch to the registered handler.

        Frames that touch the database go to this socket's lane (one task, in order), so the
        receive loop — and the relays and channel-layer events it also serves — never waits for
        a database write; inline frames (ping, signal, …) are handled at once."""
        if self.closing or self.leaving:
            return  # frames that were on their way after `leave` (or any close)
        ref = None
        started = time.perf_counter()
        name = "unknown"
        try:
            raw = self.decode(text_data, bytes_data)
            ref = raw.get("ref") if isinstance(raw.get("ref"), str) else None
            frame_type = self.lookup(raw)
            name = frame_type.name
            try:
                frame = frames.parse(frame_type, raw)
            except RecursionError as exc:
                raise FrameError("invalid", "the frame is nested too deeply") from exc
            self.authorise(frame_type)
        except FrameError as exc:
            await self.frame_failed(name, exc, ref)
            return
        if frame_type.inline:
            await self.dispatch_frame(frame_type, frame, ref, started)
            return
        self.leaving = frame_type.name == "leave"  # it waits in the lane; nothing after it counts
        if self.lane is None:
            self.lane = asyncio.Queue()
            self.lane_task = asyncio.create_task(self.run_lane(self.lane))
        if self.lane.qsize() >= settings.ROOM_LANE_MAX:
            busy = FrameError("busy", "the server is busy; slow down")
            await self.frame_failed(name, busy, ref)
            return
        self.lane.put_nowait((frame_type, frame, ref, started))

    async def dispatch_frame(
        self, frame_type: frames.FrameType, frame: frames.InboundFrame, ref: str | None, t0: float
    ) -> None:
        name = frame_type.name
        if self.closing:
            return  # queued in the lane before a `leave` (or any close) was handled
        try:
            await frame_type.handler(FrameContext(self), frame)
            metrics.FRAMES.labels(name, "ok").inc()
            metrics.FRAME_SECONDS.labels(name).observe(time.perf_counter() - t0)
        except (FrameError, ServiceError) as exc:
            await self.frame_failed(name, exc, ref)

    async def frame_failed(
        self, name: str, exc: FrameError | ServiceError, ref: str | None
    ) -> None:
        if isinstance(exc, FrameError):
            log.warning(
                "room.bad_frame",
                visit=str(self.visit_id),
                peer=str(self.peer_id),
                code=exc.code,
                detail=exc.message,
            )
        metrics.FRAMES.labels(name, exc.code).inc()
        await self.send_error(exc.code, exc.message, ref)

    def decode(self, text_data: str | None, bytes_data: bytes | None) -> dict[str, Any]:
        if self.identity is None or self.peer_id is None:
            raise FrameError("unauthorized", "the connection is not set up")
        if text_data is None:
            raise FrameError("bad_json", "binary frames are not supported; send JSON text")
        if len(text_data.encode("utf-8")) > settings.ROOM_MAX_FRAME_BYTES:
            raise FrameError(
                "too_large", f"frames are limited to {settings.ROOM_MAX_FRAME_BYTES} bytes"
            )
        if not self.bucket.allow():
            raise FrameError("rate_limited", "too many frames; slow down")
        try:
            raw = json.loads(text_data, parse_constant=_no_constant, parse_float=_finite)
        except ValueError as exc:
            raise FrameError("bad_json", f"not valid JSON: {exc}") from exc
        except RecursionError as exc:
            raise FrameError("bad_json", "the JSON is nested too deeply") from exc
        if not isinstance(raw, dict):
            raise FrameError("invalid", "a frame must be a JSON object")
        return raw

    def lookup(self, raw: dict[str, Any]) -> frames.FrameType:
        version = raw.get("v", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version != 1:
            raise FrameError("unsupported_version", "this server speaks protocol version 1")
        name = raw.get("type")
        frame_type = frames.lookup(name) if isinstance(name, str) else None
        if frame_type is None:
            raise FrameError("unknown_type", f"unknown frame type {str(name)[:40]!r}")
        return frame_type

    def authorise(self, frame_type: frames.FrameType) -> None:
        assert self.identity is not None
        if frame_type.staff_only and not self.identity.is_staff:
            raise FrameError("forbidden", f"{frame_type.name} is for staff only")
        if frame_type.admitted_only and not self.admitted:
            raise FrameError("forbidden", f"{frame_type.name} needs you to be in the call")

    async def relay(self, target: str, frame: dict[str, Any]) -> None:
        frame["from"] = str(self.peer_id)
        await self.group_send(events.peer_group(target), events.frame_event(frame))

    async def send_to_staff(self, frame: dict[str, Any]) -> None:
        await self.group_send(events.staff_group(self.visit_id), events.frame_event(frame))

    async def group_send(self, group: str, event: dict[str, Any]) -> None:
        try:
            await self.channel_layer.group_send(group, event)
        except Exception as exc:
            raise FrameError(
                "unavailable", "the message could not be passed on; try again"
            ) from exc

    # Outbound (channel-layer events) -----------------------------------------------------------

    async def room_frame(self, event: dict[str, Any]) -> None:
        frame = event["frame"]
        if frame.get("type") == "presence":
            seq = frame.get("seq", 0)
            if seq and seq <= self.presence_seq:
                return  # an older snapshot that arrived late: the page already has a newer one
            self.presence_seq = seq
            self.known_peers = {peer["peerId"] for peer in frame["peers"]}
        await self.send_frame(frame)

    async def room_device_admitted(self, event: dict[str, Any]) -> None:
        self.new_device = False
        await self.join_group(events.participant_group(self.participant.id))
        await self.room_admitted(event)

    async def room_device_denied(self, event: dict[str, Any]) -> None:
        await self.send_frame({"type": "denied"})
        await self.close(code=CLOSE_FORBIDDEN)

    async def room_admitted(self, event: dict[str, Any]) -> None:
        if self.admitted:
            return
        await self.send_frame({"type": "admitted"})
        await self.enter_call()

    async def room_ended(self, event: dict[str, Any]) -> None:
        await self.send_frame({"type": "ended", "reason": event.get("reason", "ended_by_staff")})
        await self.close(code=CLOSE_ENDED)

    async def room_signed_out(self, event: dict[str, Any]) -> None:
        await self.refuse("unauthorized", "the session has ended", CLOSE_UNAUTHORISED)

    async def room_replaced(self, event: dict[str, Any]) -> None:
        await self.send_frame({"type": "replaced"})
        await self.close(code=CLOSE_REPLACED)

    async def send_frame(self, frame: dict[str, Any]) -> None:
        if self.closing:
            return
        await self.send(text_data=json.dumps(frame, separators=(",", ":")))

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        if self.closing:
            return
        self.closing = True
        await super().close(code=code, reason=reason)

    async def safe_send_error(self, code: str, message: str) -> None:
        try:
            await self.send_error(code, message)
        except Exception:  # the socket is already gone
            return

    async def send_error(self, code: str, message: str, ref: str | None = None) -> None:
        frame: dict[str, Any] = {"type": "error", "code": code, "message": message}
        if ref is not None:
            frame["ref"] = ref
        await self.send_frame(frame)
