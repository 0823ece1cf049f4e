"""Presence snapshots are read after each commit on whichever thread committed, so an older one
can arrive after a newer one. A page that took the older list last closed its connection to a
peer that was in the call (seen in the browser tests with three people joining at once). Each
snapshot is numbered before it is read, and a page only gets snapshots newer than its last."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from tests.rooms.conftest import Call, RoomFactory
from videocontact.rooms import events
from videocontact.rooms.payloads import presence_frame
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_snapshot_has_a_higher_number(visit: Visit) -> None:
    numbers = [presence_frame(visit.id)["seq"] for _ in range(5)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5


async def test_an_older_snapshot_that_arrives_late_is_not_passed_on(
    call: Call, visit: Visit
) -> None:
    staff, res = call
    older = await database_sync_to_async(presence_frame)(visit.id)  # read first …
    stale = {**older, "peers": [p for p in older["peers"] if p["peerId"] == staff.peer_id]}
    newer = await database_sync_to_async(presence_frame)(visit.id)  # … read second
    layer = get_channel_layer()
    await layer.group_send(events.visit_group(visit.id), events.frame_event(newer))
    await layer.group_send(events.visit_group(visit.id), events.frame_event(stale))  # … sent last

    for client in (staff, res):
        got = await client.expect_presence(staff, res)
        assert got["seq"] == newer["seq"]
        await client.nothing_more()  # the stale list (without the resident) never came


async def test_the_welcome_counts_as_the_snapshot_it_carries(
    call: Call, visit: Visit, room: RoomFactory, resident_key: str
) -> None:
    _staff, res = call
    before = await database_sync_to_async(presence_frame)(visit.id)
    await res.close()
    again = room(visit.id, resident_key)  # the resident's page reconnects
    welcome = await again.join()
    assert welcome["state"] == "admitted" and welcome["peers"]
    layer = get_channel_layer()
    await layer.group_send(events.visit_group(visit.id), events.frame_event(before))
    await again.nothing_more()  # older than the welcome's own list: not passed on
