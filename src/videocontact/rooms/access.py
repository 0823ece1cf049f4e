"""Who may join a visit's room: the one authorisation check of the room protocol.

Not a selector: for a staff member of the visit's unit it creates their participant row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from videocontact.accounts.models import User
from videocontact.visits.access import Stage, resident_access
from videocontact.visits.models import Participant
from videocontact.visits.selectors import visit_for_staff
from videocontact.visits.services import staff_participant_get_or_create


@dataclass(frozen=True)
class RoomIdentity:
    participant: Participant
    is_staff: bool
    user: User | None


def can_join(*, visit_id: uuid.UUID, user: Any, session: Any) -> RoomIdentity | None:
    """The one authorisation check for the room: staff of the visit's unit, or a participant
    bound to this browser session. Creates the staff member's participant row when needed."""
    if getattr(user, "is_authenticated", False):
        visit = visit_for_staff(user, visit_id)
        if visit is not None:
            participant = staff_participant_get_or_create(visit=visit, user=user)
            return RoomIdentity(participant=participant, is_staff=True, user=user)
    # Past the link and every registered step (the SMS code). An ended visit, a removed or a
    # declined participant is refused by participant_enter_room with its own reason.
    access = resident_access(session, visit_id, stage=Stage.VERIFIED, allow_ended=True)
    if access.participant is None or access.problem not in (None, "removed"):
        return None
    return RoomIdentity(participant=access.participant, is_staff=False, user=None)
