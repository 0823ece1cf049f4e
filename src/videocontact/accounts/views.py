"""Per-organisation assets: the theme (colours) as CSS, and the logo."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from videocontact.accounts.models import Organisation, OrganisationLogo


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


@require_GET
def organisation_logo(request: HttpRequest, slug: str, digest: str) -> HttpResponse:
    """The logo as the PNG stored after re-encoding. The address holds the start of its hash, so
    a new logo has a new address and this one may be cached for a year."""
    logo = (
        OrganisationLogo.objects.select_related("organisation")
        .filter(organisation__slug=slug)
        .first()
    )
    if logo is None or not logo.organisation.logo_sha256.startswith(digest) or len(digest) < 16:
        raise Http404
    response = HttpResponse(bytes(logo.png), content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
