"""A socket's lane: its frames that touch the database, handled one after the other in a task of
their own, so the socket's receive loop (which also delivers relays) never waits for a write."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import structlog

log = structlog.get_logger("rooms")


class FrameLane:
    visit_id: uuid.UUID
    lane: asyncio.Queue[Any] | None = None
    lane_task: asyncio.Task[None] | None = None

    async def dispatch_frame(self, *item: Any) -> None:
        """Handle one queued frame; the consumer that mixes this lane in supplies it."""
        raise NotImplementedError("RoomConsumer.dispatch_frame handles the lane's frames")

    async def run_lane(self, lane: asyncio.Queue[Any]) -> None:
        while (item := await lane.get()) is not None:
            try:
                await self.dispatch_frame(*item)
            except OSError:  # the browser went away (uvicorn's ClientDisconnected)
                continue  # the frames after it still land, as when they were handled inline
            except Exception:  # one broken frame must not stop the ones after it
                log.exception("room.frame_crashed", visit=str(self.visit_id), frame=item[0].name)

    async def drain_lane(self) -> None:
        """At disconnect: the frames already received are still handled, in order."""
        if self.lane is None or self.lane_task is None:
            return
        self.lane.put_nowait(None)
        try:
            await asyncio.wait_for(asyncio.shield(self.lane_task), 10)
        except (TimeoutError, Exception):
            self.lane_task.cancel()
