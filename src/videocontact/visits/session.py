"""Binding a redeemed invitation to the browser session (the token never appears again)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from videocontact.visits.errors import InvitationError
from videocontact.visits.models import Participant
from videocontact.visits.selectors import SESSION_KEY, visit_by_id

LINK_PROBLEM_KEY = "vc_link_problem"
DEVICE_KEY = "vc_device"


def bind_participant(session: Any, participant: Participant) -> None:
    mapping = dict(session.get(SESSION_KEY) or {})
    mapping[str(participant.visit_id)] = str(participant.id)
    session.cycle_key()  # a fresh session id at the moment of privilege change
    session[SESSION_KEY] = mapping


def remember_link_problem(session: Any, exc: InvitationError) -> None:
    """What was wrong with the link just opened, for the page that explains it (after a
    redirect, so the token is not in that page's address)."""
    session[LINK_PROBLEM_KEY] = {
        "reason": exc.reason,
        "visit": str(exc.visit.pk) if exc.visit is not None else "",
        "opens_at": exc.opens_at.isoformat() if exc.opens_at else "",
    }


def recall_link_problem(session: Any) -> InvitationError | None:
    stored = session.get(LINK_PROBLEM_KEY)
    if not isinstance(stored, dict) or not isinstance(stored.get("reason"), str):
        return None
    opens_at = datetime.fromisoformat(stored["opens_at"]) if stored.get("opens_at") else None
    visit = visit_by_id(stored["visit"]) if stored.get("visit") else None
    return InvitationError(stored["reason"], opens_at=opens_at, visit=visit)


def session_device(session: Any) -> str:
    """This browser, as the hash of a random id kept in its session (a new session id at a
    privilege change keeps the data, so the device stays the same)."""
    device = session.get(DEVICE_KEY)
    if not isinstance(device, str) or not device:
        device = secrets.token_urlsafe(24)
        session[DEVICE_KEY] = device
        if hasattr(session, "save") and getattr(session, "session_key", None):
            session.save()
    return hashlib.sha256(device.encode()).hexdigest()
