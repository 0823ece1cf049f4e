"""The channel layer (Redis in production) goes away: no consumer ends with a traceback, the page
is told to reconnect (close 1013, 'try again later'), and the room works again once it is back."""

from __future__ import annotations

from typing import Any

import pytest
from channels.layers import get_channel_layer

from tests.rooms.conftest import RoomFactory, enter_call
from videocontact.rooms import events
from videocontact.visits.models import Participant, Visit

pytestmark = pytest.mark.django_db(transaction=True)


class LayerDown(ConnectionError):
    pass


def break_layer(monkeypatch: pytest.MonkeyPatch, *methods: str) -> None:
    layer: Any = get_channel_layer()

    async def down(*args: Any, **kwargs: Any) -> Any:
        raise LayerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for name in methods:
        monkeypatch.setattr(layer, name, down)


async def test_layer_down_at_connect_closes_with_try_again(
    room: RoomFactory, visit: Visit, staff_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_layer(monkeypatch, "group_add", "group_send", "send")
    client = room(visit.id, staff_key)
    assert await client.connect()
    error = await client.expect_error("unavailable")
    assert error["code"] == "unavailable"
    await client.expect_closed(1013)
    await client.close()  # raises whatever the consumer raised: nothing


async def test_layer_lost_mid_call_then_back(
    room: RoomFactory,
    visit: Visit,
    staff_key: str,
    resident_key: str,
    resident: Participant,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    layer: Any = get_channel_layer()
    down = {"now": False}
    receive = type(layer).receive

    async def flaky_receive(self: Any, channel: str) -> Any:
        if down["now"]:
            raise LayerDown("Connection closed by server.")
        return await receive(self, channel)

    monkeypatch.setattr(type(layer), "receive", flaky_receive)
    staff, res = await enter_call(room, visit, staff_key, resident_key, resident)

    # Redis goes away: each consumer's next read from the layer fails.
    down["now"] = True
    await layer.group_send(events.visit_group(visit.id), {"type": "room.idle"})  # wake the reads
    for client in (staff, res):
        error = await client.expect_error("unavailable")
        assert "reconnect" in error["message"]
        await client.expect_closed(1013)
        await client.close()  # raises whatever the consumer raised: nothing

    # Redis is back: the pages reconnect (same sessions) and the call is there again.
    down["now"] = False
    again_staff = room(visit.id, staff_key)
    again_res = room(visit.id, resident_key)
    await again_staff.join()
    welcome = await again_res.join()
    assert welcome["state"] == "admitted"
    await again_res.expect_presence(again_staff, again_res)


async def test_publishing_with_the_layer_down_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    break_layer(monkeypatch, "group_send")
    from asgiref.sync import sync_to_async

    await sync_to_async(events.send_now)("visit-x", {"type": "room.frame", "frame": {}})
