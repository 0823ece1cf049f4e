"""Fixtures of the insights tests: the pilot's situation (pilot.py) and the room sockets."""

from __future__ import annotations

import pytest

from tests.insights.pilot import PILOT_PERIOD, Pilot, build_pilot
from tests.rooms.conftest import (  # noqa: F401 (room socket fixtures)
    call,
    consented_resident,
    resident_key,
    room,
    staff_key,
)

__all__ = ["PILOT_PERIOD", "Pilot"]


@pytest.fixture
def pilot(db: None) -> Pilot:
    return build_pilot()
