"""A socket's database frames run in its ordered lane: a slow database write holds up neither
the relays that socket sends nor the frames relayed to it, and the lane keeps their order."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any, Literal

import pytest

from tests.rooms.conftest import Call
from videocontact.rooms import frames
from videocontact.rooms.frames import FrameContext, InboundFrame, register

pytestmark = pytest.mark.django_db(transaction=True)

SLOW_SECONDS = 1.0


class SlowWrite(InboundFrame):
    type: Literal["test-slow-write"]
    n: int


@pytest.fixture
def slow_frame() -> Iterator[list[int]]:
    """A frame type whose handler blocks a database thread (as a slow write would); it is
    registered for this test only."""
    done: list[int] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        time.sleep(SLOW_SECONDS)
        with lock:
            done.append(n)

    @register(SlowWrite, admitted_only=False)
    async def on_slow(ctx: FrameContext, frame: SlowWrite) -> None:
        await ctx.run(write, frame.n)
        await ctx.send({"type": "test-slow-done", "n": frame.n})

    yield done
    frames._registry.pop("test-slow-write", None)


async def test_a_slow_write_holds_up_no_relay_and_keeps_its_order(
    call: Call, slow_frame: list[int]
) -> None:
    staff, res = call
    await res.send({"type": "test-slow-write", "n": 1})
    await res.send({"type": "test-slow-write", "n": 2})
    started = time.monotonic()
    # The resident's own signal, sent after the slow writes, and one relayed to the resident.
    await res.send({"type": "signal", "to": staff.peer_id, "candidate": None})
    await staff.expect("signal")
    await staff.send({"type": "signal", "to": res.peer_id, "candidate": None})
    await res.expect("signal")
    assert time.monotonic() - started < SLOW_SECONDS / 2
    first = await res.expect("test-slow-done")
    second = await res.expect("test-slow-done")
    assert [first["n"], second["n"]] == [1, 2] == slow_frame


async def test_frames_received_before_a_close_are_still_handled(
    call: Call, slow_frame: list[int]
) -> None:
    _staff, res = call
    await res.send({"type": "test-slow-write", "n": 7})
    await asyncio.sleep(0.05)
    await res.close()
    assert slow_frame == [7]


async def test_a_full_lane_answers_busy(call: Call, slow_frame: list[int], settings: Any) -> None:
    settings.ROOM_LANE_MAX = 2
    _staff, res = call
    for n in range(4):
        await res.send({"type": "test-slow-write", "n": n})
    error = await res.expect_error("busy")
    assert error["message"] == "the server is busy; slow down"
