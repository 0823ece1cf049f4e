"""Room frames shaped from what the selectors read: the presence list every page in the call gets
and the waiting-room list the caseworker's page gets (docs/protocol.md, "presence" and "lobby")."""

from __future__ import annotations

import uuid
from typing import Any

from videocontact.rooms import selectors
from videocontact.rooms.sequence import next_presence_seq


def presence_peers(visit_id: uuid.UUID) -> list[dict[str, Any]]:
    return [
        {
            "peerId": str(c.peer_id),
            "participantId": str(c.participant_id),
            "role": c.participant.role,
            "name": c.participant.display_name,
            "audio": c.audio,
            "video": c.video,
            "facing": c.facing or None,
        }
        for c in selectors.present_connections(visit_id)
    ]


def presence_snapshot(visit_id: uuid.UUID) -> tuple[int, list[dict[str, Any]]]:
    """The peers in the call, numbered: the number is taken before the read (rooms/sequence.py)."""
    seq = next_presence_seq()
    return seq, presence_peers(visit_id)


def presence_frame(visit_id: uuid.UUID) -> dict[str, Any]:
    seq, peers = presence_snapshot(visit_id)
    return {"type": "presence", "seq": seq, "peers": peers}


def lobby_frame(visit_id: uuid.UUID) -> dict[str, Any]:
    lobby = selectors.lobby(visit_id)
    waiting: list[dict[str, Any]] = [
        {
            "participantId": str(p.id),
            "role": p.role,
            "name": p.display_name,
            "since": p.waiting_since.isoformat() if p.waiting_since else None,
        }
        for p in lobby.waiting
    ]
    waiting += [
        {
            "participantId": str(c.participant_id),
            "role": c.participant.role,
            "name": c.participant.display_name,
            "since": c.connected_at.isoformat(),
            "newDevice": True,
        }
        for c in lobby.new_devices
    ]
    others = [
        {
            "participantId": str(p.id),
            "role": p.role,
            "name": p.display_name,
            "state": p.state,
            "online": p.id in lobby.online,
            **lobby.details.get(p.id, {}),
        }
        for p in lobby.participants
    ]
    return {
        "type": "lobby",
        "waiting": waiting,
        "participants": others,
        "inCall": lobby.in_call,
    }
