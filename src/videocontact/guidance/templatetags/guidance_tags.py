"""`{% guidance_help "resident" %}`: the help videos and pages for an audience, in the language
of the page (falling back to Dutch). Used on the consent page, in the waiting room and on the
staff dashboard."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

from videocontact.guidance.markup import render
from videocontact.guidance.selectors import help_for

register = template.Library()


@register.inclusion_tag("guidance/_help.html", takes_context=True)
def guidance_help(context: dict[str, Any], audience: str, level: int = 2) -> dict[str, Any]:
    request = context.get("request")
    organisation = getattr(request, "organisation", None) if request is not None else None
    found = help_for(
        audience=audience,
        language=translation.get_language() or "nl",
        organisation=organisation,
    )
    return {
        "help": found,
        "pages": [(page, render(page.body)) for page in found.pages],
        "level": max(2, min(int(level), 4)),
        "audience": audience,
    }
