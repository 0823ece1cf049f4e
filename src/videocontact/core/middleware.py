"""Security headers on every response: a strict CSP without inline script, and friends."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Resident pages send no Referer at all (docs/architecture.md): their addresses name a visit.
RESIDENT_PATHS = ("/v/", "/j/", "/link", "/check")
PERMISSIONS_POLICY = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path.startswith(RESIDENT_PATHS):
            response.headers.setdefault("Referrer-Policy", "no-referrer")
        if getattr(request, "session", None) is not None and request.path.startswith(
            ("/v/", "/j/", "/link", "/staff/")
        ):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class CsrfMiddleware(CsrfViewMiddleware):
    """Django's CSRF check, accepting the `Origin: null` that browsers send with a form posted
    from a page under `Referrer-Policy: no-referrer` (the resident pages), when the browser
    itself says the post came from this site (Sec-Fetch-Site cannot be set by a page). The
    CSRF token is still checked."""

    def _origin_verified(self, request: HttpRequest) -> bool:
        if (
            request.META.get("HTTP_ORIGIN") == "null"
            and request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"
        ):
            return True
        return super()._origin_verified(request)  # type: ignore[misc]
