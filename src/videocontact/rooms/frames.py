"""The room frame registry: each app registers the inbound frame types it handles.

An app declares a pydantic schema (a subclass of `InboundFrame` whose `type` is a Literal) and an
async handler in its own `frames.py`; `RoomsConfig.ready()` imports every installed app's
`frames` module. The consumer only decodes, looks up, authorises and dispatches, so the room
never imports the apps that sit on top of it (docs/architecture.md, Layers)."""

from __future__ import annotations

import functools
import typing
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Protocol, TypeVar, cast

from django.conf import settings
from django.db import connections
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from videocontact.core.errors import ServiceError

Short = Annotated[str, Field(max_length=64)]


class InboundFrame(BaseModel):
    """Base of every inbound frame schema: protocol v1, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    v: Literal[1] = 1
    ref: Short | None = None


class FrameError(ServiceError):
    """A refused frame: the sender gets an `error` frame with this code; the socket stays open."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class RoomPeer(Protocol):
    """What a handler may see of and do with the connection (implemented by the consumer)."""

    visit_id: uuid.UUID
    peer_id: uuid.UUID | None
    channel_name: str
    known_peers: set[str]

    @property
    def identity(self) -> Any: ...

    async def send_frame(self, frame: dict[str, Any]) -> None: ...

    async def relay(self, target: str, frame: dict[str, Any]) -> None: ...

    async def send_to_staff(self, frame: dict[str, Any]) -> None: ...

    async def close(self, code: int | None = None) -> None: ...


@dataclass(frozen=True)
class FrameContext:
    """Handed to every frame handler: who sent the frame and how to answer."""

    peer: RoomPeer

    @property
    def visit_id(self) -> uuid.UUID:
        return self.peer.visit_id

    @property
    def peer_id(self) -> str:
        return str(self.peer.peer_id)

    @property
    def channel_name(self) -> str:
        """This socket's channel; a reconnect of the same page (same peer id) gets a new one."""
        return self.peer.channel_name

    @property
    def participant(self) -> Any:
        return self.peer.identity.participant

    @property
    def is_staff(self) -> bool:
        return bool(self.peer.identity.is_staff)

    @property
    def user(self) -> Any:
        return self.peer.identity.user

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run synchronous (ORM) code in a database thread."""
        return await db_run(fn, *args, **kwargs)

    async def send(self, frame: dict[str, Any]) -> None:
        await self.peer.send_frame(frame)

    def target_peer(self, peer_id: uuid.UUID) -> str:
        """A peer of this call other than the sender, or FrameError."""
        target = str(peer_id)
        if target not in self.peer.known_peers or target == self.peer_id:
            raise FrameError("unknown_peer", "that peer is not in this call")
        return target

    async def relay(self, to: uuid.UUID, frame: dict[str, Any]) -> None:
        """Forward a frame to one other peer of the call (checked), stamped with the sender."""
        await self.peer.relay(self.target_peer(to), frame)

    async def send_to_staff(self, frame: dict[str, Any]) -> None:
        await self.peer.send_to_staff(frame)

    async def close(self, code: int = 1000) -> None:
        await self.peer.close(code=code)


T = TypeVar("T")
F = TypeVar("F", bound=InboundFrame)


@functools.cache
def _parallel_db() -> bool:
    # One thread for every socket's ORM calls queued all of them behind each other (and the
    # frames behind them). PostgreSQL takes them in parallel from the thread pool, each thread on
    # its own kept connection; SQLite has one writer anyway, so it keeps the single thread.
    return bool(connections["default"].vendor != "sqlite")


@functools.cache
def _db_executor() -> ThreadPoolExecutor:
    # The rooms' own threads, not the event loop's default executor: that one also resolves
    # host names when Redis opens a connection, and while slow database calls filled it, every
    # new Redis connection (and the relay waiting for it) queued behind them.
    return ThreadPoolExecutor(max_workers=settings.ROOM_DB_THREADS, thread_name_prefix="room-db")


async def db_run(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run synchronous (ORM) code in a database thread (a pool thread on PostgreSQL)."""
    from channels.db import database_sync_to_async

    if _parallel_db():
        call = database_sync_to_async(fn, thread_sensitive=False, executor=_db_executor())
    else:
        call = database_sync_to_async(fn, thread_sensitive=True)
    return cast(T, await call(*args, **kwargs))


Handler = Callable[[FrameContext, Any], Awaitable[None]]


@dataclass(frozen=True)
class FrameType:
    name: str
    schema: type[InboundFrame]
    handler: Handler
    staff_only: bool
    admitted_only: bool
    # inline: handled at once in the socket's receive loop (no database: ping, signal, relays);
    # otherwise in the socket's ordered lane, so a slow database write never holds up a relay.
    inline: bool = False


_registry: dict[str, FrameType] = {}
JoinFrames = Callable[[Any], list[dict[str, Any]]]
_join_frames: list[JoinFrames] = []


def frame_name(schema: type[InboundFrame]) -> str:
    annotation = schema.model_fields["type"].annotation
    values = typing.get_args(annotation)
    if typing.get_origin(annotation) is not Literal or len(values) != 1:
        raise TypeError(f"{schema.__name__}.type must be a Literal of one frame name")
    return str(values[0])


def register(
    schema: type[F], *, staff_only: bool = False, admitted_only: bool = True, inline: bool = False
) -> Callable[[Callable[[FrameContext, F], Awaitable[None]]], Handler]:
    """Register the handler of one inbound frame type (decorator)."""

    def decorate(handler: Callable[[FrameContext, F], Awaitable[None]]) -> Handler:
        name = frame_name(schema)
        existing = _registry.get(name)
        if existing is not None and existing.handler.__qualname__ != handler.__qualname__:
            raise RuntimeError(f"frame type {name!r} is registered twice")
        _registry[name] = FrameType(name, schema, handler, staff_only, admitted_only, inline)
        return handler

    return decorate


def lookup(name: str) -> FrameType | None:
    return _registry.get(name)


def registered() -> dict[str, FrameType]:
    return dict(_registry)


def parse(frame_type: FrameType, raw: dict[str, Any]) -> InboundFrame:
    try:
        return frame_type.schema.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise FrameError("invalid", f"{where}: {error['msg']}" if where else error["msg"]) from exc


def register_join_frames(provider: JoinFrames) -> JoinFrames:
    """Frames a page gets when it enters (or re-enters) the call, e.g. the questionnaire's state.

    The provider is synchronous (it runs in the database thread) and gets the RoomIdentity."""
    if provider not in _join_frames:
        _join_frames.append(provider)
    return provider


def join_frames(identity: Any) -> list[dict[str, Any]]:
    frames: list[dict[str, Any]] = []
    for provider in _join_frames:
        frames.extend(provider(identity))
    return frames
