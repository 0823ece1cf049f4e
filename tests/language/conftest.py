"""Fixtures for language tests: a started questionnaire (from the questionnaires tests) and the
room WebSocket fixtures (from the rooms tests)."""

from tests.questionnaires.conftest import (  # noqa: F401 (fixtures)
    definition,
    questionnaire,
    template_version,
)
from tests.rooms.conftest import (  # noqa: F401 (fixtures)
    call,
    consented_resident,
    resident_key,
    room,
    staff_key,
)
