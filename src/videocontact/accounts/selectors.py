from __future__ import annotations

from django.db.models import QuerySet

from videocontact.accounts.models import Organisation, Process, Role, Unit, User

VISIT_ROLES = (Role.CASEWORKER, Role.TEAM_LEAD)


def units_for_user(user: User, roles: tuple[str, ...] = VISIT_ROLES) -> QuerySet[Unit]:
    return Unit.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def processes_for_user(user: User) -> QuerySet[Process]:
    return (
        Process.objects.filter(
            unit__memberships__user=user, unit__memberships__role=Role.CASEWORKER
        )
        .select_related("unit", "unit__organisation")
        .distinct()
        .order_by("unit__department", "unit__name", "name")
    )


def user_can_manage_unit(user: User, unit: Unit) -> bool:
    """Caseworkers and team leads of a unit may run that unit's visits."""
    if not user.is_authenticated or not user.is_active:
        return False
    return unit.memberships.filter(user=user, role__in=VISIT_ROLES).exists()


def organisation_for_user(user: User) -> Organisation | None:
    """The organisation of the user's units (staff work for one municipality), for branding."""
    return Organisation.objects.filter(units__memberships__user=user).order_by("pk").first()


def processes_for_admin(user: User) -> QuerySet[Process]:
    """Processes of the units where the user is functional administrator (they build the forms)."""
    return (
        Process.objects.filter(
            unit__memberships__user=user, unit__memberships__role=Role.FUNCTIONAL_ADMIN
        )
        .select_related("unit", "unit__organisation")
        .distinct()
        .order_by("unit__department", "unit__name", "name")
    )
