"""Small helpers for the staff templates."""

from __future__ import annotations

from django import template

from videocontact.accounts.selectors import processes_for_admin, processes_for_user

register = template.Library()


@register.filter
def can_plan_visits(user: object) -> bool:
    """Only caseworkers plan visits: team leads and privacy officers get no "New visit"."""
    if not getattr(user, "is_authenticated", False):
        return False
    return processes_for_user(user).exists()  # type: ignore[arg-type]


@register.filter
def can_build_questionnaires(user: object) -> bool:
    """Functional administrators build the questionnaires of their units' processes."""
    if not getattr(user, "is_authenticated", False):
        return False
    return processes_for_admin(user).exists()  # type: ignore[arg-type]


@register.filter
def is_privacy_officer(user: object) -> bool:
    """The privacy officer's menu: audit trail and storage approvals."""
    if not getattr(user, "is_authenticated", False):
        return False
    from videocontact.accounts.models import Role

    return user.memberships.filter(role=Role.PRIVACY_OFFICER).exists()  # type: ignore[attr-defined]
