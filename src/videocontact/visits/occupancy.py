"""How many places of a call are taken. The room knows which participants are really connected,
so it registers the counter (`RoomsConfig.ready`); without it, admitted participants count."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from videocontact.visits.models import Participant, ParticipantState

Counter = Callable[..., int]
_counter: Counter | None = None


def register_counter(counter: Counter) -> None:
    """`counter(visit_id, *, exclude=participant_id)` → places taken."""
    global _counter
    _counter = counter


def places_taken(visit_id: uuid.UUID, *, exclude: uuid.UUID | None = None) -> int:
    if _counter is not None:
        return _counter(visit_id, exclude=exclude)
    qs = Participant.objects.filter(visit_id=visit_id, state=ParticipantState.ADMITTED)
    return qs.exclude(id=exclude).count() if exclude is not None else qs.count()
