from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
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


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
