"""Insights on other apps' pages: the form after the call (templates/call/call.html), the
rating on the resident's ended page, the caseworker's question on the visit page, and the
menu link to the dashboard (templates/staff/base_staff.html)."""

from __future__ import annotations

from typing import Any

from django import template

from videocontact.insights import selectors_visit
from videocontact.insights.forms import RatingForm, TechCheckForm
from videocontact.insights.selectors.scope import organisations_for
from videocontact.insights.services import participant_may_rate

register = template.Library()


@register.inclusion_tag("insights/_after_call.html", takes_context=True)
def insights_after_call(context: dict[str, Any], visit: Any, participant: Any) -> dict[str, Any]:
    """Hidden until the call ends (js/insights.js shows it): a plain form, no socket needed."""
    is_staff = bool(context.get("is_staff"))
    return {
        "is_staff": is_staff,
        "visit": visit,
        "participant": participant,
        "form": RatingForm(),
        "tech_form": TechCheckForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("insights/_ended_rating.html", takes_context=True)
def insights_rating(context: dict[str, Any], participant: Any) -> dict[str, Any]:
    show = participant_may_rate(participant) and not selectors_visit.has_rated(participant)
    return {
        "show": show,
        "participant": participant,
        "form": RatingForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("insights/_visit_panel.html", takes_context=True)
def insights_panel(context: dict[str, Any], visit: Any) -> dict[str, Any]:
    user = context["request"].user
    check = selectors_visit.tech_check_of(visit, user)
    return {
        "show": visit.started_at is not None,
        "visit": visit,
        "check": check,
        "rating_count": selectors_visit.rating_count(visit),
        "tech_form": TechCheckForm(
            initial={"answer": check.answer, "problem": check.problem} if check else None
        ),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def insights_menu(context: dict[str, Any]) -> bool:
    """Whether the signed-in user leads a unit or administers an organisation."""
    return bool(organisations_for(context["request"].user))
