"""The caseworker asks the resident's phone to read a question aloud (`read-aloud`)."""

from __future__ import annotations

import pytest

from tests.rooms.conftest import Call

pytestmark = pytest.mark.django_db(transaction=True)


async def test_read_aloud_goes_to_the_resident_only(call: Call) -> None:
    staff, res = call
    await staff.send({"type": "read-aloud", "to": res.peer_id, "question": "has_partner"})
    frame = await res.expect("read-aloud")
    assert frame["question"] == "has_partner" and frame["from"] == staff.peer_id
    await staff.nothing_more()


async def test_only_staff_may_ask_and_input_is_checked(call: Call) -> None:
    staff, res = call
    await res.send({"type": "read-aloud", "to": staff.peer_id, "question": "name"})
    await res.expect_error("forbidden")
    await staff.send({"type": "read-aloud", "to": res.peer_id, "question": "../etc"})
    await staff.expect_error("invalid")
    await res.nothing_more()
