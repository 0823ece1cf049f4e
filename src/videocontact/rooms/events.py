"""Group names and after-commit publishing: only services publish, and only after commit."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = structlog.get_logger("rooms")


def visit_group(visit_id: uuid.UUID | str) -> str:
    """Admitted peers of a visit: the call."""
    return f"visit-{visit_id}"


def staff_group(visit_id: uuid.UUID | str) -> str:
    """Staff peers of a visit: waiting-room updates."""
    return f"visit-{visit_id}-staff"


def participant_group(participant_id: uuid.UUID | str) -> str:
    return f"participant-{participant_id}"


def peer_group(peer_id: uuid.UUID | str) -> str:
    return f"peer-{peer_id}"


def send_now(group: str, event: dict[str, Any]) -> None:
    """Best effort: with the channel layer (Redis) down the change is committed all the same, and
    every page gets the current state when its socket comes back (welcome, presence, form-state)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception as exc:
        log.warning("room.publish_failed", group=group, error=type(exc).__name__)


def publish_on_commit(group: str, event: dict[str, Any] | Callable[[], dict[str, Any]]) -> None:
    """Send to a group once the surrounding transaction commits.

    Pass a callable to build the event after commit, so it reflects committed state.
    """

    def _send() -> None:
        send_now(group, event() if callable(event) else event)

    transaction.on_commit(_send)


def publish_all_on_commit(messages: list[tuple[str, dict[str, Any]]]) -> None:
    """Send each (group, event), in order, once the surrounding transaction commits: one hop to
    the event loop for all of them (a batch of answers publishes dozens)."""
    if not messages:
        return

    async def _send_all(layer: Any) -> None:
        # Started in order, so the pub/sub layer pipelines them in order (one round trip).
        sends = [layer.group_send(group, event) for group, event in messages]
        results = await asyncio.gather(*sends, return_exceptions=True)
        for (group, _), result in zip(messages, results, strict=True):
            if isinstance(result, Exception):  # best effort, as send_now
                log.warning("room.publish_failed", group=group, error=type(result).__name__)

    def _send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(_send_all)(layer)

    transaction.on_commit(_send)


def frame_event(frame: dict[str, Any]) -> dict[str, Any]:
    """A channel-layer event that the consumer forwards to its browser as-is."""
    return {"type": "room.frame", "frame": frame}


def send_to_channel_on_commit(channel_name: str, event: dict[str, Any]) -> None:
    """Send to one consumer (not a group) once the surrounding transaction commits."""

    def _send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.send)(channel_name, event)
        except Exception as exc:
            log.warning("room.publish_failed", channel=channel_name, error=type(exc).__name__)

    transaction.on_commit(_send)
