"""The one resident access gate: may this browser session act for a participant of a visit?

Every resident view, the room consumer, the photo upload and the resident's report copy ask
`resident_access`; nobody writes the checks again. The order is fixed:

1. bound   — a link of this visit was redeemed in this browser (visits.session);
2. open    — the visit has not ended (unless the caller allows an ended visit);
3. removed — the caseworker did not remove the participant;
4. steps   — every step an app above registers (notifications: the SMS code of two-channel join);
5. consent — the participant consented (unless the caller is the consent step itself).

Apps register extra steps with `register_step` in their AppConfig.ready(), so this module never
imports them."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from videocontact.visits.models import Participant, ParticipantState
from videocontact.visits.selectors import participant_from_session


class Stage(enum.IntEnum):
    """How far through the gate a caller needs the participant to be."""

    BOUND = 1  # the step pages themselves (the SMS code page)
    VERIFIED = 2  # past every registered step: the consent page
    CONSENTED = 3  # everything else: device check, call, uploads, the report copy


@dataclass(frozen=True)
class Access:
    participant: Participant | None
    problem: str | None = None  # None: allowed; else session, removed, ended, <step name>, consent

    @property
    def allowed(self) -> bool:
        return self.problem is None


StepCheck = Callable[[Any, Participant], bool]
_steps: dict[str, StepCheck] = {}


def register_step(name: str, passed: StepCheck) -> None:
    """An extra step between the link and consent: `passed(session, participant)` says whether
    this browser session has completed it. The problem reported when it has not is `name`."""
    _steps[name] = passed


def steps_passed(session: Any, participant: Participant) -> str | None:
    """The name of the first registered step this session has not passed, or None."""
    for name, passed in _steps.items():
        if not passed(session, participant):
            return name
    return None


def resident_access(
    session: Any,
    visit_id: uuid.UUID,
    *,
    stage: Stage = Stage.CONSENTED,
    allow_ended: bool = False,
) -> Access:
    participant = participant_from_session(session, visit_id)
    if participant is None:
        return Access(None, "session")
    if not allow_ended and not participant.visit.is_open:
        return Access(participant, "ended")
    if participant.removed_at is not None:
        return Access(participant, "removed")
    if stage >= Stage.VERIFIED:
        step = steps_passed(session, participant)
        if step is not None:
            return Access(participant, step)
    if stage >= Stage.CONSENTED and participant.state in (
        ParticipantState.INVITED,
        ParticipantState.DECLINED,
    ):
        return Access(participant, "consent")
    return Access(participant)
