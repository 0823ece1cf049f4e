from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.checks.pdok import PdokServer, free_url, pdok_server
from tests.rooms.conftest import (  # noqa: F401 (fixtures)
    call,
    consented_resident,
    resident_key,
    room,
    staff_key,
)


@pytest.fixture
def pdok(settings: Any) -> Iterator[PdokServer]:
    with pdok_server() as server:
        settings.CHECKS_GEOCODER = "pdok"
        settings.CHECKS_PDOK_URL = free_url(server)
        settings.CHECKS_GEOCODER_TIMEOUT = 1.0
        yield server
