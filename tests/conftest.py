"""Shared fixtures: a municipality with a unit, a process and its staff; isolated channel layers."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests import factories
from videocontact.accounts.models import Organisation, Process, Role, Unit, User
from videocontact.visits.models import Participant, Visit


@pytest.fixture(autouse=True)
def _isolated_channel_layer(request: pytest.FixtureRequest, settings: Any) -> Iterator[None]:
    """A fresh channel layer per test. Changing CHANNEL_LAYERS makes Channels drop its cached
    backends, so no layer (nor a Redis connection pool bound to an old event loop) outlives a
    test. On Redis every test gets its own key prefix, so tests never see each other's groups
    (nor those of anybody else using the same Redis), and leftovers expire quickly."""
    if request.node.get_closest_marker("e2e"):
        yield
        return
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    config = layers["default"].setdefault("CONFIG", {})
    if "hosts" in config:  # Redis (pub/sub channels are not per database: a prefix, too)
        config["prefix"] = f"vctest-{uuid.uuid4().hex[:12]}"
        config["group_expiry"] = 120
        config["expiry"] = 30
    settings.CHANNEL_LAYERS = layers
    yield


@pytest.fixture
def organisation(db: None) -> Organisation:
    return factories.make_organisation(name="Gemeente Voorbeeldstad", slug="voorbeeldstad")


@pytest.fixture
def unit(organisation: Organisation) -> Unit:
    return factories.make_unit(organisation=organisation, department="Sociale Zaken", name="Intake")


@pytest.fixture
def process(unit: Unit) -> Process:
    return factories.make_process(
        unit=unit,
        code="bijstand",
        name="Aanvraag bijstand",
        staff_label="Medewerker Sociale Zaken",
        retention_days=90,
    )


@pytest.fixture
def caseworker(unit: Unit) -> User:
    return factories.make_user(
        unit=unit, role=Role.CASEWORKER, username="sanne", first_name="Sanne", last_name="de Vries"
    )


@pytest.fixture
def colleague(unit: Unit) -> User:
    """A second caseworker of the same unit."""
    return factories.make_user(
        unit=unit,
        role=Role.CASEWORKER,
        username="youssef",
        first_name="Youssef",
        last_name="El Amrani",
    )


@pytest.fixture
def outsider(db: None) -> User:
    """A caseworker of another municipality."""
    other_unit = factories.make_unit(organisation=factories.make_organisation())
    factories.make_process(unit=other_unit)
    return factories.make_user(unit=other_unit, role=Role.CASEWORKER, username="buiten")


@pytest.fixture
def visit_and_token(process: Process, caseworker: User) -> tuple[Visit, str]:
    visit, issued = factories.make_visit(process=process, caseworker=caseworker)
    return visit, issued.token


@pytest.fixture
def visit(visit_and_token: tuple[Visit, str]) -> Visit:
    return visit_and_token[0]


@pytest.fixture
def token(visit_and_token: tuple[Visit, str]) -> str:
    return visit_and_token[1]


@pytest.fixture
def resident(visit: Visit) -> Participant:
    return factories.resident_of(visit)
