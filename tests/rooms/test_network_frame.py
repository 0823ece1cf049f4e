"""The `network` frame (docs/protocol.md): a page that went audio-only on a weak network, or back
to video, tells the staff of the call; nothing is stored. Bad frames get an error frame."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rooms.conftest import Call

pytestmark = pytest.mark.django_db(transaction=True)


async def test_audio_only_and_back_reach_staff(call: Call) -> None:
    staff, res = call
    await res.send({"type": "network", "mode": "audio-only"})
    assert (await staff.expect("network")) == {
        "type": "network",
        "mode": "audio-only",
        "participantId": res.participant_id,
        "from": res.peer_id,
    }
    await res.send({"type": "network", "mode": "video"})
    assert (await staff.expect("network"))["mode"] == "video"
    await res.nothing_more()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "network"},
        {"type": "network", "mode": "off"},
        {"type": "network", "mode": True},
        {"type": "network", "mode": "video", "kbps": 80},
    ],
)
async def test_bad_network_frame(call: Call, frame: dict[str, Any]) -> None:
    staff, res = call
    await res.send(frame)
    await res.expect_error("invalid")
    await res.nothing_more()
    await staff.nothing_more()
