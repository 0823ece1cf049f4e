"""Fixtures for evidence tests: an own vault directory per test, a resident in the call, a photo
request, and the room WebSocket fixtures shared with tests/rooms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.rooms.conftest import (  # noqa: F401 (fixtures)
    call,
    consented_resident,
    resident_key,
    room,
    staff_key,
)
from videocontact.accounts.models import User
from videocontact.evidence import services
from videocontact.evidence.models import PhotoRequest
from videocontact.rooms.models import RoomConnection
from videocontact.visits.models import Participant, ParticipantState, Visit


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return settings.EVIDENCE_DIR


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def resident_in_call(resident: Participant) -> Participant:
    """The resident admitted, with a live connection (what the room would have made)."""
    Participant.objects.filter(pk=resident.pk).update(state=ParticipantState.ADMITTED)
    RoomConnection.objects.create(participant=resident, channel_name="test.resident")
    resident.refresh_from_db()
    return resident


@pytest.fixture
def photo_request(visit: Visit, caseworker: User, resident_in_call: Participant) -> PhotoRequest:
    return services.photo_request_create(
        visit_id=visit.id, by_user=caseworker, target_id=resident_in_call.id, from_peer="peer"
    )
