"""The DPIA-gated checks on the call page (templates/call/call.html): nothing when they are off."""

from __future__ import annotations

from typing import Any

from django import template

from videocontact.checks.call_config import location_config

register = template.Library()


@register.inclusion_tag("checks/_call.html")
def checks_call(visit: Any, is_staff: bool) -> dict[str, Any]:
    return {"is_staff": is_staff, "location_config": location_config(visit, is_staff=is_staff)}
