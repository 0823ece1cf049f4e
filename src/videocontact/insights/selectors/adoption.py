"""Adoption by the pilot report's definitions.

- invited: a staff account (caseworker of the unit) created before the end of the period;
- activated: invited, and signed in for the first time before the end of the period;
- logged in: signed in during the period;
- used: activated, logged in, and took part in at least one visit held in the period (a visit
  of the unit whose resident reached the call, started in the period).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min

from videocontact.accounts.models import Membership, Role, User
from videocontact.insights.models import LoginEvent
from videocontact.insights.selectors.scope import Period, Scope
from videocontact.visits.models import Participant, ParticipantRole


@dataclass(frozen=True)
class Adoption:
    label: str
    invited: int
    activated: int
    logged_in: int
    used: int

    @property
    def share(self) -> float | None:
        """used / invited, 0-1; None without invited staff."""
        return self.used / self.invited if self.invited else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


def _first_logins(user_ids: set[int]) -> dict[int, datetime]:
    """First sign-in per user: the earliest recorded one, or Django's last_login for accounts
    that signed in before sign-ins were recorded."""
    first: dict[int, datetime] = {
        row["user"]: row["first"]
        for row in LoginEvent.objects.filter(user__in=user_ids)
        .values("user")
        .annotate(first=Min("at"))
    }
    for uid, last_login in User.objects.filter(pk__in=user_ids).values_list("pk", "last_login"):
        if last_login is not None and (uid not in first or last_login < first[uid]):
            first[uid] = last_login
    return first


def _logged_in(user_ids: set[int], period: Period) -> set[int]:
    found = set(
        LoginEvent.objects.filter(
            user__in=user_ids, at__gte=period.start, at__lt=period.end
        ).values_list("user", flat=True)
    )
    found |= set(
        User.objects.filter(
            pk__in=user_ids, last_login__gte=period.start, last_login__lt=period.end
        ).values_list("pk", flat=True)
    )
    return found


def _held_by_unit(scope: Scope, period: Period) -> dict[int, set[int]]:
    """unit id → staff who took part in a visit of that unit held in the period."""
    held_visits = Participant.objects.filter(
        role=ParticipantRole.RESIDENT,
        admitted_at__isnull=False,
        visit__process__unit__in=scope.unit_ids,
        visit__started_at__gte=period.start,
        visit__started_at__lt=period.end,
    ).values_list("visit_id", flat=True)
    by_unit: dict[int, set[int]] = defaultdict(set)
    staff = Participant.objects.filter(
        visit_id__in=held_visits, user__isnull=False, admitted_at__isnull=False
    ).values_list("visit__process__unit_id", "user_id")
    for unit_id, user_id in staff:
        by_unit[unit_id].add(user_id)
    return by_unit


def _count(
    label: str,
    staff: set[int],
    joined: dict[int, datetime],
    first: dict[int, datetime],
    logged_in: set[int],
    held: set[int],
    period: Period,
) -> Adoption:
    invited = {u for u in staff if joined[u] < period.end}
    activated = {u for u in invited if u in first and first[u] < period.end}
    active = invited & logged_in
    used = activated & active & held
    return Adoption(label, len(invited), len(activated), len(active), len(used))


def adoption(scope: Scope, period: Period) -> tuple[list[Adoption], Adoption]:
    """Per unit of the scope, and the total over the scope (each person counted once)."""
    members = Membership.objects.filter(unit__in=scope.unit_ids, role=Role.CASEWORKER)
    staff_by_unit: dict[int, set[int]] = defaultdict(set)
    for unit_id, user_id in members.values_list("unit_id", "user_id"):
        staff_by_unit[unit_id].add(user_id)
    everyone = set().union(*staff_by_unit.values()) if staff_by_unit else set()
    joined = dict(User.objects.filter(pk__in=everyone).values_list("pk", "date_joined"))
    first = _first_logins(everyone)
    logged_in = _logged_in(everyone, period)
    held = _held_by_unit(scope, period)
    rows = [
        _count(str(unit), staff_by_unit[unit.pk], joined, first, logged_in, held[unit.pk], period)
        for unit in scope.units
    ]
    held_any = set().union(*held.values()) if held else set()
    total = _count("", everyone, joined, first, logged_in, held_any, period)
    return rows, total


def adoption_trend(scope: Scope, period: Period) -> list[tuple[str, Adoption]]:
    """The total per ISO week of the period, each week taken as its own period."""
    return [(week.week_label, adoption(scope, week)[1]) for week in period.weeks()]
