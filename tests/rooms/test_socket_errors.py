"""Input that used to end the socket with 1006 and a traceback (found when pen-tested): each is
now an `error` frame on an open socket, or a clean close."""

from __future__ import annotations

import json

import pytest
from channels.testing import WebsocketCommunicator

from tests.questionnaires.definitions import STROKES
from tests.rooms.conftest import Call
from tests.ws import TIMEOUT
from videocontact.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"type":"ping","x":' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"type":"ping","ref":' + '{"a":' * 30_000 + "1" + "}" * 30_000 + "}",
    ],
    ids=["array", "inside a frame", "objects"],
)
async def test_deeply_nested_json_is_an_error_frame(call: Call, text: str) -> None:
    _, res = call
    await res.send_text(text)
    await res.expect_error("bad_json")
    await res.ping()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"])
async def test_non_finite_numbers_are_refused(call: Call, number: str) -> None:
    """A signature with NaN in its strokes reached the database (IntegrityError)."""
    _, res = call
    strokes = json.dumps(STROKES).replace("[[", f"[[[{number}, 1], ", 1).replace("[[[[", "[[[", 1)
    await res.send_text('{"type":"form-sign","png":"AAAA","strokes":' + strokes + "}")
    await res.expect_error("bad_json")
    await res.send_text('{"type":"media","audio":true,"video":' + number + "}")
    await res.expect_error("bad_json")
    await res.ping()


async def test_frames_after_leave_are_ignored(call: Call) -> None:
    staff, res = call
    await res.send({"type": "leave"})
    await res.send({"type": "ping"})
    await res.send({"type": "media", "audio": True, "video": True})
    await res.expect_closed(1000)
    # nothing is sent after the close
    assert await res.comm.receive_nothing(timeout=0.3)
    await staff.nothing_more()


@pytest.mark.parametrize(
    "path", ["/ws/nothing/", "/ws/visits/not-a-uuid/", "/ws/visits/", "/ws/../admin/"]
)
async def test_an_unknown_socket_path_is_refused_cleanly(path: str) -> None:
    comm = WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")]
    )
    accepted, _code = await comm.connect(timeout=TIMEOUT)
    assert accepted is False
    await comm.disconnect(timeout=TIMEOUT)  # raises what the application raised, if anything
