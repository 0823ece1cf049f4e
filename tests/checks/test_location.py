"""The location check over the room socket: gated by the DPIA module switch, asked by the
caseworker, answered by the resident's page only with consent; the caseworker gets the distance,
the database keeps the distance and outcome (coordinates only where the process allows it)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from channels.db import database_sync_to_async

from tests import factories
from tests.checks.pdok import PdokServer
from tests.rooms.conftest import Call
from videocontact.accounts.models import Organisation, Role, Unit
from videocontact.checks.models import LocationCheck, LocationSettings
from videocontact.privacy.models import AuditEvent, Dpia, DpiaStatus
from videocontact.privacy.modules import module_switch
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "Rivierweg 111, Capelle aan den IJssel"
# About 33 m north-east of the address's centroid (51.9123468, 4.58170305).
NEARBY = {"lat": 51.91255, "lon": 4.58200, "accuracy": 12.5}
UTRECHT = {"lat": 52.08893, "lon": 5.11027, "accuracy": 20}


def switch_on(organisation: Organisation, unit: Unit) -> None:
    Dpia.objects.create(
        organisation=organisation,
        title="Locatiecontrole",
        processing="Locatie met toestemming",
        module="location-check",
        status=DpiaStatus.APPROVED,
        document_reference="DPIA-7",
        decided_at=date(2026, 11, 1),
    )
    officer = factories.make_user(unit=unit, role=Role.PRIVACY_OFFICER)
    module_switch(organisation=organisation, module="location-check", enabled=True, by_user=officer)


@pytest.fixture
def enabled(organisation: Organisation, unit: Unit, pdok: PdokServer) -> PdokServer:
    switch_on(organisation, unit)
    return pdok


async def ask(call: Call) -> str:
    staff, res = call
    await staff.send({"type": "location-ask", "address": ADDRESS, "ref": "loc-1"})
    question = await res.expect("location-ask")
    state = await staff.expect("location-state")
    assert state["state"] == "asked" and state["check"] == question["check"]
    return str(question["check"])


async def test_off_without_an_approved_dpia(call: Call, pdok: PdokServer) -> None:
    staff, res = call
    await staff.send({"type": "location-ask", "address": ADDRESS, "ref": "loc-1"})
    error = await staff.expect_error("module_off")
    assert error["ref"] == "loc-1"
    await res.nothing_more()
    assert not await database_sync_to_async(LocationCheck.objects.exists)()


async def test_with_consent_the_caseworker_sees_the_distance(
    call: Call, enabled: PdokServer, visit: Visit
) -> None:
    staff, res = call
    check_id = await ask(call)
    await res.send(
        {"type": "location-answer", "check": check_id, "consent": True, "position": NEARBY}
    )
    result = await staff.expect("location-state")
    assert result["state"] == "done"
    assert 25 <= result["distanceM"] <= 40
    assert result["accuracyM"] == 12 or result["accuracyM"] == 13
    assert result["outcome"] == "at_address"
    assert result["address"] == "Rivierweg 111, 2903AR Capelle aan den IJssel"
    assert "lat" not in json.dumps(result)
    await res.nothing_more()  # the resident's page gets no distance back

    check = await database_sync_to_async(LocationCheck.objects.get)()
    assert check.latitude is None and check.longitude is None
    assert check.distance_m == result["distanceM"]
    events: list[Any] = await database_sync_to_async(
        lambda: list(AuditEvent.objects.filter(action__startswith="location_check."))
    )()
    assert [e.action for e in events] == ["location_check.requested", "location_check.done"]
    done = events[1].data
    assert done["outcome"] == "at_address" and done["coordinates_kept"] is False
    # The position is in no audit event.
    assert "51.912" not in json.dumps([e.data for e in events])
    # Only the address went to the geocoder, never the position.
    assert all("51.912" not in json.dumps(r) for r in enabled.requests)


async def test_far_away_is_elsewhere(call: Call, enabled: PdokServer) -> None:
    staff, res = call
    check_id = await ask(call)
    await res.send(
        {"type": "location-answer", "check": check_id, "consent": True, "position": UTRECHT}
    )
    result = await staff.expect("location-state")
    assert result["outcome"] == "elsewhere" and 40_000 < result["distanceM"] < 42_000


async def test_the_process_may_keep_the_coordinates(
    call: Call, enabled: PdokServer, visit: Visit
) -> None:
    await database_sync_to_async(LocationSettings.objects.create)(
        process=visit.process, keep_coordinates=True
    )
    staff, res = call
    await staff.send({"type": "location-ask", "address": ADDRESS})
    question = await res.expect("location-ask")
    assert question["keep"] is True
    await res.send(
        {"type": "location-answer", "check": question["check"], "consent": True, "position": NEARBY}
    )
    await staff.expect("location-state")
    assert (await staff.expect("location-state"))["state"] == "done"
    check = await database_sync_to_async(LocationCheck.objects.get)()
    assert (check.latitude, check.longitude) == (NEARBY["lat"], NEARBY["lon"])


async def test_declined_and_unavailable(call: Call, enabled: PdokServer) -> None:
    staff, res = call
    first = await ask(call)
    await res.send({"type": "location-answer", "check": first, "consent": False})
    assert (await staff.expect("location-state"))["state"] == "declined"
    second = await ask(call)
    await res.send({"type": "location-answer", "check": second, "consent": True, "error": "denied"})
    state = await staff.expect("location-state")
    assert state["state"] == "unavailable" and state["reason"] == "denied"
    assert not enabled.requests  # nothing was geocoded
    actions = await database_sync_to_async(
        lambda: set(AuditEvent.objects.values_list("action", flat=True))
    )()
    assert {"location_check.declined", "location_check.unavailable"} <= actions


async def test_an_unknown_address_fails_clearly(call: Call, enabled: PdokServer) -> None:
    staff, res = call
    await staff.send({"type": "location-ask", "address": "Nergensstraat 1, Nergenshuizen"})
    question = await res.expect("location-ask")
    await staff.expect("location-state")
    await res.send(
        {"type": "location-answer", "check": question["check"], "consent": True, "position": NEARBY}
    )
    state = await staff.expect("location-state")
    assert state["state"] == "failed" and state["reason"] == "geocode_not_found"


async def test_bad_frames_are_refused(call: Call, enabled: PdokServer) -> None:
    staff, res = call
    await res.send({"type": "location-ask", "address": ADDRESS})
    await res.expect_error("forbidden")
    await staff.send({"type": "location-ask", "address": "   "})
    await staff.expect_error("invalid_address")
    check_id = await ask(call)
    for frame in (
        {"check": check_id, "consent": False, "position": NEARBY},
        {"check": check_id, "consent": True, "position": {"lat": 91, "lon": 4, "accuracy": 1}},
        {"check": check_id, "consent": True, "position": {**NEARBY, "extra": 1}},
        {"check": check_id, "consent": "yes"},
        {"check": check_id, "consent": True, "position": NEARBY, "error": "denied"},
    ):
        await res.send({"type": "location-answer", **frame})
        await res.expect_error("invalid")
    nan_position = '"position":{"lat":NaN,"lon":4,"accuracy":1}'
    await res.send_text(
        f'{{"v":1,"type":"location-answer","check":"{check_id}","consent":true,{nan_position}}}'
    )
    await res.expect_error("bad_json")
    # Staff cannot answer in the resident's name; a second answer is refused.
    await staff.send({"type": "location-answer", "check": check_id, "consent": False})
    await staff.expect_error("unknown_check")
    await res.send({"type": "location-answer", "check": check_id, "consent": False})
    await staff.expect("location-state")
    await res.send({"type": "location-answer", "check": check_id, "consent": False})
    await res.expect_error("check_answered")
