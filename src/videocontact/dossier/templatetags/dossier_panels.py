"""The dossier panel on the caseworker's visit page (templates/staff/visit_detail.html)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("dossier/_visit_panel.html", takes_context=True)
def dossier_panel(context: dict[str, Any], visit: Any) -> dict[str, Any]:
    return {"visit": visit, "request": context.get("request")}
