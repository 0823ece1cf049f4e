"""Fixtures for the room WebSocket tests: browser sessions and clients that are always closed."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from channels.layers import get_channel_layer

from tests import factories
from tests.ws import RoomClient
from videocontact.accounts.models import User
from videocontact.visits import services
from videocontact.visits.models import Participant, Visit

RoomFactory = Callable[..., RoomClient]
Call = tuple[RoomClient, RoomClient]  # (caseworker, resident)


@pytest.fixture
async def room() -> AsyncIterator[RoomFactory]:
    """`room(visit_id, session_key)` makes a RoomClient. Every client is disconnected after the
    test (which also surfaces any exception inside the consumer); then the channel layer is
    flushed and its connections closed, on this test's event loop."""
    layer = get_channel_layer()
    clients: list[RoomClient] = []

    def make(
        visit_id: uuid.UUID | str, session_key: str | None = None, **kwargs: object
    ) -> RoomClient:
        client = RoomClient(visit_id, session_key, **kwargs)  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    try:
        for client in clients:
            await client.close()
    finally:
        if layer is not None and hasattr(layer, "flush"):
            await layer.flush()


@pytest.fixture
def staff_key(caseworker: User) -> str:
    return factories.staff_session(caseworker)


@pytest.fixture
def consented_resident(visit: Visit, resident: Participant) -> Participant:
    services.consent_record(participant=resident, accepted=True, language="nl")
    return resident


@pytest.fixture
def resident_key(consented_resident: Participant) -> str:
    return factories.participant_session(consented_resident)


async def enter_call(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> Call:
    """The caseworker connects, the resident connects and waits, the caseworker admits them;
    returns once both have seen the other in `presence`."""
    staff = room(visit.id, staff_key)
    await staff.join()
    res = room(visit.id, resident_key)
    await res.join()
    await staff.expect_lobby([str(resident.id)])
    await staff.send({"type": "admit", "participant": str(resident.id)})
    await res.expect("admitted")
    await res.expect_presence(staff, res)
    await staff.expect_presence(staff, res)
    return staff, res


@pytest.fixture
async def call(
    room: RoomFactory, visit: Visit, staff_key: str, resident_key: str, resident: Participant
) -> Call:
    return await enter_call(room, visit, staff_key, resident_key, resident)
