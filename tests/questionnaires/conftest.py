"""Fixtures for questionnaire tests: a template of the test process, a started questionnaire.
The room WebSocket fixtures are shared with tests/rooms."""

from __future__ import annotations

from typing import Any

import pytest

from tests.questionnaires.definitions import full_definition
from tests.rooms.conftest import (  # noqa: F401 (fixtures)
    call,
    consented_resident,
    resident_key,
    room,
    staff_key,
)
from videocontact.accounts.models import Process, User
from videocontact.questionnaires import services
from videocontact.questionnaires.models import Questionnaire, TemplateVersion
from videocontact.visits.models import Visit


@pytest.fixture
def definition() -> dict[str, Any]:
    return full_definition()


@pytest.fixture
def template_version(process: Process, definition: dict[str, Any]) -> TemplateVersion:
    """Version 1 of the test template, the default questionnaire of the process."""
    return services.template_import(process=process, data=definition)


@pytest.fixture
def questionnaire(
    visit: Visit, caseworker: User, template_version: TemplateVersion
) -> Questionnaire:
    return services.questionnaire_start(visit=visit, by_user=caseworker)
