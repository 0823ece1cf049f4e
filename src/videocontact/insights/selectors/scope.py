"""Who sees which numbers, and over which period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from videocontact.accounts.models import Organisation, Role, Unit, User

DASHBOARD_ROLES = (Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN)


@dataclass(frozen=True)
class Scope:
    """The units of one organisation whose figures a user may see. A team lead sees the units
    they lead; a functional administrator every unit of their organisation."""

    organisation: Organisation
    units: tuple[Unit, ...]
    is_admin: bool
    unit_ids: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit_ids", frozenset(u.pk for u in self.units))

    def narrowed(self, unit_id: int | None) -> Scope:
        if unit_id is None or unit_id not in self.unit_ids:
            return self
        return Scope(self.organisation, tuple(u for u in self.units if u.pk == unit_id), False)


def organisations_for(user: User) -> list[Organisation]:
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        Organisation.objects.filter(
            units__memberships__user=user, units__memberships__role__in=DASHBOARD_ROLES
        )
        .distinct()
        .order_by("name")
    )


def scope_for(user: User, organisation_id: int | None = None) -> Scope | None:
    """None: this user sees no dashboard (a caseworker, or an organisation not theirs)."""
    organisations = organisations_for(user)
    if organisation_id is not None:
        organisations = [o for o in organisations if o.pk == organisation_id]
    if not organisations:
        return None
    organisation = organisations[0]
    memberships = user.memberships.filter(unit__organisation=organisation)
    is_admin = memberships.filter(role=Role.FUNCTIONAL_ADMIN).exists()
    units = Unit.objects.filter(organisation=organisation)
    if not is_admin:
        units = units.filter(memberships__user=user, memberships__role=Role.TEAM_LEAD)
    return Scope(organisation, tuple(units.distinct().order_by("department", "name")), is_admin)


def may_edit_business_case(user: User, organisation: Organisation) -> bool:
    return user.memberships.filter(
        unit__organisation=organisation, role=Role.FUNCTIONAL_ADMIN
    ).exists()


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both days included, in the server's time zone."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        """Exclusive."""
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    def weeks(self) -> list[Period]:
        """The ISO weeks of the period (Monday to Sunday), the first and last cut to it."""
        monday = self.first - timedelta(days=self.first.weekday())
        weeks = []
        while monday <= self.last:
            sunday = monday + timedelta(days=6)
            weeks.append(Period(max(monday, self.first), min(sunday, self.last)))
            monday += timedelta(days=7)
        return weeks

    @property
    def week_label(self) -> str:
        year, week, _ = self.first.isocalendar()
        return f"{year}-W{week:02d}"


def default_period(today: date | None = None) -> Period:
    """The last four whole weeks up to today."""
    today = today or timezone.localdate()
    return Period(today - timedelta(days=27), today)
