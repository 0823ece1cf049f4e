"""Per-organisation assets: the theme (colours) as CSS."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from videocontact.accounts.models import Organisation


@require_GET
@cache_control(public=True, max_age=300)
def theme_css(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisation design tokens as CSS custom properties (no inline styles needed)."""
    org = get_object_or_404(Organisation, slug=slug)
    css = (
        ":root{"
        f"--vc-color-primary:{org.primary_colour};"
        f"--vc-color-primary-text:{org.primary_text_colour};"
        "}\n"
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")
