"""Who may use the language features of a visit: its staff, or an admitted participant in this
browser session. (Replaced by videocontact.visits.access once that lands.)"""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from videocontact.notifications.selectors import code_passed
from videocontact.visits.models import ParticipantState
from videocontact.visits.selectors import participant_from_session, visit_for_staff


def may_use_visit(request: HttpRequest, visit_id: uuid.UUID) -> bool:
    user = request.user
    if user.is_authenticated:
        return visit_for_staff(user, visit_id) is not None  # type: ignore[arg-type]
    participant = participant_from_session(request.session, visit_id)
    return (
        participant is not None
        and participant.state == ParticipantState.ADMITTED
        and code_passed(request.session, participant)
    )
