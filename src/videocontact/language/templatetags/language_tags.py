"""The language parts of the call page (templates/call/call.html)."""

from __future__ import annotations

from typing import Any

from django import template

from videocontact.language.call_config import language_config

register = template.Library()


@register.inclusion_tag("language/_call.html", takes_context=True)
def language_call(context: dict[str, Any], visit: Any, is_staff: bool) -> dict[str, Any]:
    return {
        "is_staff": is_staff,
        "language_config": language_config(context["request"], visit, is_staff=is_staff),
    }
