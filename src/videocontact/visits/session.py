"""Binding a redeemed invitation to the browser session (the token never appears again)."""

from __future__ import annotations

from typing import Any

from videocontact.visits.models import Participant
from videocontact.visits.selectors import SESSION_KEY


def bind_participant(session: Any, participant: Participant) -> None:
    mapping = dict(session.get(SESSION_KEY) or {})
    mapping[str(participant.visit_id)] = str(participant.id)
    session.cycle_key()  # a fresh session id at the moment of privilege change
    session[SESSION_KEY] = mapping
