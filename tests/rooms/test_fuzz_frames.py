"""Property-based fuzzing (hypothesis) of every registered socket frame type, as the caseworker
and as the resident: whatever arrives, the socket answers with frames (an `error` at worst) and
stays open — never a traceback, never a close. Small enough for CI (a few hundred frames)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rooms.conftest import Call
from tests.ws import TIMEOUT, RoomClient
from videocontact.rooms import frames

pytestmark = pytest.mark.django_db(transaction=True)

# `leave` and `end` close the socket by design; the rest must never.
CLOSING = {"leave", "end"}
TYPES = sorted(set(frames.registered()) - CLOSING)

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.uuids().map(str),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def frame_of(draw: Any, peers: list[str]) -> str:
    """A frame of a registered type: its own field names with values of any JSON shape (and
    now and then a peer id where one fits), sometimes an extra field, sometimes raw text."""
    name = draw(st.sampled_from(TYPES))
    schema = frames.registered()[name].schema
    fields = [f for f in schema.model_fields if f != "type"]
    frame: dict[str, Any] = {"type": name}
    for field in draw(st.lists(st.sampled_from(fields), unique=True)) if fields else []:
        frame[field] = draw(st.one_of(json_value, st.sampled_from(peers)))
    if draw(st.booleans()) and draw(st.booleans()):
        frame[draw(st.text(min_size=1, max_size=8))] = draw(json_value)
    text = json.dumps(frame)
    mangle = draw(st.sampled_from(["none"] * 8 + ["cut", "nan", "deep"]))
    if mangle == "cut":
        return text[: draw(st.integers(1, len(text)))]  # the test client cannot send ""
    if mangle == "nan":
        return text.replace('"type"', '"x": NaN, "type"', 1)
    if mangle == "deep":
        return text[:-1] + ', "d": ' + "[" * 5000 + "]" * 5000 + "}"
    return text


async def still_open(client: RoomClient) -> None:
    """Send a ping and read until its pong: any close (or consumer crash) on the way fails."""
    await client.send({"type": "ping"})
    while True:
        message = await client.comm.receive_output(timeout=TIMEOUT)
        assert message["type"] == "websocket.send", message
        if json.loads(message["text"])["type"] == "pong":
            return


@pytest.fixture(autouse=True)
def _no_rate_limit(settings: Any) -> None:
    settings.ROOM_RATE_PER_SECOND = 10_000
    settings.ROOM_RATE_BURST = 10_000


FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@FUZZ
@given(data=st.data())
async def test_fuzzed_frames_from_the_resident(call: Call, data: st.DataObject) -> None:
    staff, res = call
    text = data.draw(frame_of([staff.peer_id, res.peer_id]))
    await res.send_text(text)
    await still_open(res)
    await still_open(staff)


@FUZZ
@given(data=st.data())
async def test_fuzzed_frames_from_the_caseworker(call: Call, data: st.DataObject) -> None:
    staff, res = call
    text = data.draw(frame_of([staff.peer_id, res.peer_id, res.participant_id]))
    await staff.send_text(text)
    await still_open(staff)


def test_every_frame_type_is_fuzzed() -> None:
    assert len(TYPES) >= 15 and {"signal", "form-sign", "form-answer", "admit"} <= set(TYPES)
