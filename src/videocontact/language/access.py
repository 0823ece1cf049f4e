"""Who may use the language features of a visit: its staff, or an admitted participant whose
browser session passes the resident access gate (videocontact.visits.access)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from videocontact.visits.access import resident_access
from videocontact.visits.models import ParticipantState
from videocontact.visits.selectors import visit_for_staff


def may_use_visit(request: HttpRequest, visit_id: uuid.UUID) -> bool:
    user = request.user
    if user.is_authenticated:
        return visit_for_staff(user, visit_id) is not None  # type: ignore[arg-type]
    access = resident_access(request.session, visit_id)
    return access.allowed and access.participant.state == ParticipantState.ADMITTED  # type: ignore[union-attr]
