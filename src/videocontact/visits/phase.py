"""Where a visit stands, for the head of the visit page and the caseworker's day:
planned → waiting → in call → ended → filed (or cancelled).

"Filed" is known only to a higher app (the dossier sends reports to the case file), so that app
registers a check here in its AppConfig.ready(); this module imports nothing above visits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from videocontact.visits.models import ParticipantState, Visit, VisitStatus

PHASES = (
    ("planned", _("Planned")),
    ("waiting", _("In the waiting room")),
    ("in_call", _("In call")),
    ("ended", _("Ended")),
    ("filed", _("Filed")),
)

_filed_checks: list[Callable[[Visit], bool]] = []


def register_filed_check(check: Callable[[Visit], bool]) -> None:
    """A higher app tells whether an ended visit's report has reached the case file."""
    if check not in _filed_checks:
        _filed_checks.append(check)


@dataclass(frozen=True)
class Phase:
    code: str  # one of PHASES, or "cancelled"
    waiting: int  # people in the waiting room
    in_call: int  # residents and guests in the call

    @property
    def steps(self) -> list[dict[str, object]]:
        """The five steps with their place relative to this phase (done / current / todo)."""
        codes = [code for code, _label in PHASES]
        here = codes.index(self.code) if self.code in codes else -1
        return [
            {
                "code": code,
                "label": label,
                "state": "done" if i < here else "current" if i == here else "todo",
            }
            for i, (code, label) in enumerate(PHASES)
        ]


def visit_phase(visit: Visit) -> Phase:
    # Residents and guests with a link (no user account): staff in the call alone is no call yet.
    states = list(
        visit.participants.filter(removed_at__isnull=True, user__isnull=True).values_list(
            "state", flat=True
        )
    )
    waiting = states.count(ParticipantState.WAITING)
    in_call = states.count(ParticipantState.ADMITTED)
    if visit.status == VisitStatus.CANCELLED:
        return Phase("cancelled", 0, 0)
    if visit.status == VisitStatus.ENDED:
        filed = any(check(visit) for check in _filed_checks)
        return Phase("filed" if filed else "ended", 0, 0)
    if in_call:
        return Phase("in_call", waiting, in_call)
    if waiting:
        return Phase("waiting", waiting, 0)
    return Phase("planned", 0, 0)
