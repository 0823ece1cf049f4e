"""Inbound frame schemas in the frame registry (docs/protocol.md): what is accepted, and what is
refused, and which frames need staff or a place in the call."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from videocontact.rooms import frames
from videocontact.rooms.frames import FrameError, InboundFrame
from videocontact.rooms.schemas import Signal

PEER = str(uuid.uuid4())

VALID: list[dict[str, Any]] = [
    {"type": "ping"},
    {"type": "ping", "v": 1, "ref": "r" * 64},
    {"type": "signal", "to": PEER, "description": {"type": "offer", "sdp": "v=0\r\n"}},
    {"type": "signal", "to": PEER, "description": {"type": "rollback"}},
    {"type": "signal", "to": PEER, "description": {"type": "answer", "sdp": "x" * 60_000}},
    {
        "type": "signal",
        "to": PEER,
        "candidate": {
            "candidate": "candidate:1 1 udp 1 1.2.3.4 5 typ host",
            "sdpMid": "0",
            "sdpMLineIndex": 0,
            "usernameFragment": "abcd",
        },
    },
    {"type": "signal", "to": PEER, "candidate": {"candidate": ""}},
    {"type": "signal", "to": PEER, "candidate": None},
    {"type": "signal", "to": PEER, "keyframe": True},
    {"type": "media", "audio": True, "video": False},
    {"type": "network", "mode": "audio-only"},
    {"type": "network", "mode": "video"},
    {"type": "media", "audio": False, "video": True, "facing": "environment"},
    {"type": "media", "audio": False, "video": True, "facing": None},
    {"type": "admit", "participant": PEER},
    {"type": "deny", "participant": PEER},
    {"type": "command", "to": PEER, "id": "c1", "name": "switch-camera", "facing": "user"},
    {"type": "command-result", "to": PEER, "id": "c1", "ok": False},
    {"type": "ice-refresh"},
    {"type": "leave"},
    {"type": "end"},
]

INVALID: list[dict[str, Any]] = [
    {"type": "ping", "extra": 1},
    {"type": "ping", "ref": "r" * 65},
    {"type": "ping", "ref": 5},
    {"type": "ping", "v": 2},
    {"type": "signal", "to": PEER},
    {"type": "signal", "to": "not-a-uuid", "candidate": None},
    {"type": "signal", "to": PEER, "description": {"type": "offer", "sdp": "x" * 60_001}},
    {"type": "signal", "to": PEER, "description": {"type": "bogus", "sdp": ""}},
    {"type": "signal", "to": PEER, "description": {"type": "offer", "sdp": "", "x": 1}},
    {"type": "signal", "to": PEER, "description": {"type": "offer"}, "candidate": None},
    {"type": "signal", "to": PEER, "keyframe": False},
    {"type": "signal", "to": PEER, "keyframe": "yes"},
    {"type": "signal", "to": PEER, "keyframe": True, "candidate": None},
    {"type": "signal", "to": PEER, "candidate": {"candidate": "c" * 2_001}},
    {"type": "signal", "to": PEER, "candidate": {"candidate": "c", "sdpMLineIndex": -1}},
    {"type": "signal", "to": PEER, "candidate": {"candidate": "c", "sdpMLineIndex": "3"}},
    {"type": "signal", "to": PEER, "candidate": {"candidate": "c", "sdpMLineIndex": 1.5}},
    {"type": "signal", "to": PEER, "candidate": {"candidate": 5}},
    {"type": "media", "audio": True},
    {"type": "media", "audio": "yes", "video": True},
    {"type": "media", "audio": 1, "video": 0},
    {"type": "media", "audio": "false", "video": True},
    {"type": "media", "audio": True, "video": True, "facing": "left"},
    {"type": "admit"},
    {"type": "admit", "participant": 12},
    {"type": "admit", "participant": [PEER]},
    {"type": "command", "to": PEER, "id": "c1", "name": "format-disk", "facing": "user"},
    {"type": "command", "to": PEER, "id": "i" * 65, "name": "switch-camera", "facing": "user"},
    {"type": "command", "to": PEER, "id": "c1", "name": "switch-camera"},
    {"type": "command-result", "to": PEER, "id": "c1", "ok": "no"},
    {"type": "command-result", "to": PEER, "id": 7, "ok": True},
    {"type": "leave", "reason": "bye"},
    {"type": "network"},
    {"type": "network", "mode": "off"},
    {"type": "network", "mode": "video", "bitrate": 100},
    {"type": "nope"},
    {},
]


def parse(raw: dict[str, Any]) -> InboundFrame:
    """What the consumer does with a decoded frame: look its type up, then validate it."""
    frame_type = frames.lookup(raw["type"]) if isinstance(raw.get("type"), str) else None
    if frame_type is None:
        raise FrameError("unknown_type", "unknown frame type")
    return frames.parse(frame_type, raw)


@pytest.mark.parametrize("frame", VALID, ids=lambda f: f.get("type"))
def test_valid_frames(frame: dict[str, Any]) -> None:
    parsed = parse(frame)
    assert parsed.type == frame["type"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("frame", INVALID, ids=lambda f: str(f.get("type")))
def test_invalid_frames(frame: dict[str, Any]) -> None:
    with pytest.raises(FrameError):
        parse(frame)


CORE = {
    "ping",
    "signal",
    "media",
    "network",
    "admit",
    "deny",
    "command",
    "command-result",
    "ice-refresh",
    "leave",
    "end",
}
STAFF_ONLY = {
    "admit",
    "deny",
    "command",
    "end",
    "form-start",
    "form-reopen",
    "form-notes",
    "photo-take",
}
NOT_ADMITTED = {"ping", "admit", "deny", "leave", "end"}


def test_the_room_and_its_apps_register_their_frames() -> None:
    """The room's own frames, the questionnaire's and the photos' are registered with the roles
    and states the protocol gives them (other apps may add frames of their own)."""
    registered = frames.registered()
    expected = CORE | set(FORM) | set(PHOTO)
    assert expected <= set(registered)
    assert {n for n in expected if registered[n].staff_only} == STAFF_ONLY
    assert {n for n in expected if not registered[n].admitted_only} == NOT_ADMITTED


def test_every_registered_frame_is_documented() -> None:
    protocol = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text()
    missing = [name for name in frames.registered() if f"`{name}`" not in protocol]
    assert not missing, f"frames missing from docs/protocol.md: {missing}"


FORM = ("form-start", "form-answer", "form-language", "form-sign", "form-reopen", "form-notes")
PHOTO = ("photo-take", "camera-caps")  # tests/evidence/test_room.py


def test_candidate_null_means_end_of_candidates() -> None:
    parsed = parse({"type": "signal", "to": PEER, "candidate": None})
    assert isinstance(parsed, Signal)
    assert parsed.candidate is None
    assert parsed.description is None
