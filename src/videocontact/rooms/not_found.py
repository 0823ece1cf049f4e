"""A WebSocket upgrade to a path that has no consumer is refused (HTTP 403 at the handshake)
instead of the router's ValueError, which servers answer with a 500 and a traceback."""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer


class NotFoundConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.close()
