"""A small client for the room WebSocket, on top of channels' WebsocketCommunicator, talking to the
real ASGI application (origin check, session and auth middleware, router, consumer)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from channels.testing import WebsocketCommunicator

from videocontact.asgi import application

TIMEOUT = 10.0  # only ever reached when a test fails (generous: CI machines can be busy)
NOISE = frozenset({"presence", "lobby"})  # broadcast updates that may arrive at any moment

Frame = dict[str, Any]


class RoomClient:
    def __init__(
        self,
        visit_id: uuid.UUID | str,
        session_key: str | None = None,
        *,
        origin: bytes = b"http://localhost",
        subprotocols: list[str] | None = None,
    ) -> None:
        headers = [(b"origin", origin), (b"host", b"localhost")]
        if session_key is not None:
            headers.append((b"cookie", f"vc_session={session_key}".encode()))
        self.comm = WebsocketCommunicator(
            application, f"/ws/visits/{visit_id}/", headers=headers, subprotocols=subprotocols
        )
        self.welcome: Frame = {}
        self.closed_with: int | None = None
        self.received: list[Frame] = []  # every frame, in order
        self.inbox: list[Frame] = []  # frames (and the close) not yet taken by expect()
        self._connected = False

    # Connection ------------------------------------------------------------------------------

    async def connect(self) -> bool:
        accepted, _ = await self.comm.connect(timeout=TIMEOUT)
        self._connected = True
        return accepted

    async def join(self) -> Frame:
        """Connect and return the welcome frame."""
        assert await self.connect(), "the socket was not accepted"
        self.welcome = await self.expect("welcome")
        return self.welcome

    async def close(self) -> None:
        """The browser goes away (idempotent). Raises what the consumer raised, if anything."""
        if not self._connected:
            return
        self._connected = False
        future = self.comm.future
        if future.done():  # the consumer crashed, or a timed-out receive cancelled it
            if not future.cancelled():
                future.result()
            return
        await self.comm.disconnect(timeout=TIMEOUT)

    @property
    def peer_id(self) -> str:
        return str(self.welcome["self"]["peerId"])

    @property
    def participant_id(self) -> str:
        return str(self.welcome["self"]["participantId"])

    # Sending ---------------------------------------------------------------------------------

    async def send(self, frame: Frame) -> None:
        await self.comm.send_to(text_data=json.dumps(frame))

    async def send_text(self, text: str) -> None:
        await self.comm.send_to(text_data=text)

    async def send_bytes(self, data: bytes) -> None:
        await self.comm.send_to(bytes_data=data)

    # Receiving -------------------------------------------------------------------------------

    async def _pull(self) -> None:
        """Move the next message from the server into the inbox."""
        message = await self.comm.receive_output(timeout=TIMEOUT)
        if message["type"] == "websocket.close":
            self.closed_with = message.get("code", 1000)
            self.inbox.append({"type": "<closed>", "code": self.closed_with})
            return
        assert message["type"] == "websocket.send", message
        assert "text" in message and message.get("bytes") is None, "the server sent binary"
        frame = json.loads(message["text"])
        assert isinstance(frame, dict) and isinstance(frame.get("type"), str), frame
        self.received.append(frame)
        self.inbox.append(frame)

    async def expect(self, frame_type: str, where: Callable[[Frame], bool] | None = None) -> Frame:
        """The first unconsumed frame of this type (matching `where`), in arrival order.

        Presence and lobby frames are snapshots that may arrive at any moment: they may be passed
        over (and stay in the inbox), and when one is taken, older ones of its type are dropped.
        Any other frame that arrives before the expected one, or the socket closing, fails the
        test."""
        index = 0
        while True:
            while index >= len(self.inbox):
                await self._pull()
            frame = self.inbox[index]
            if frame["type"] == frame_type and (where is None or where(frame)):
                del self.inbox[index]
                if frame_type in NOISE:
                    self.inbox = [
                        f
                        for i, f in enumerate(self.inbox)
                        if not (i < index and f["type"] == frame_type)
                    ]
                return frame
            if frame["type"] not in NOISE:
                raise AssertionError(f"expected {frame_type!r}, got {frame!r}")
            index += 1

    async def expect_error(self, code: str) -> Frame:
        frame = await self.expect("error")
        assert frame["code"] == code, frame
        assert isinstance(frame["message"], str) and frame["message"], frame
        return frame

    async def expect_closed(self, code: int) -> None:
        frame = await self.expect("<closed>")
        assert frame["code"] == code, f"closed with {frame['code']}, expected {code}"

    async def expect_presence(self, *peers: RoomClient) -> Frame:
        """The next presence frame listing exactly these peers."""
        wanted = {p.peer_id for p in peers}
        return await self.expect(
            "presence", lambda f: {peer["peerId"] for peer in f["peers"]} == wanted
        )

    async def expect_lobby(self, waiting: list[str]) -> Frame:
        """The next lobby frame whose waiting room holds exactly these participant ids."""
        return await self.expect(
            "lobby", lambda f: [w["participantId"] for w in f["waiting"]] == waiting
        )

    async def ping(self) -> None:
        """Proves the socket is open and usable: a ping gets a pong."""
        await self.send({"type": "ping"})
        await self.expect("pong")

    async def nothing_more(self) -> None:
        """Nothing but (possibly) presence/lobby updates is pending: a ping's pong comes next.
        Frames are handled in order, so this needs no waiting."""
        await self.ping()
