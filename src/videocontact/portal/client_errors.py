"""Errors from the browser: logged with the visit id, never with personal data.

A page's script errors (js/client-errors.js) are reported here so operators see what breaks on
residents' phones. The endpoint changes no state, so it needs no CSRF token; it accepts only
same-origin JSON, is rate-limited per browser session and address, and masks anything that could
be personal (e-mail addresses, numbers, query strings) before logging."""

from __future__ import annotations

import json
import re
import time
import uuid

import structlog
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

log = structlog.get_logger("client")

MAX_BODY = 4_000
PER_MINUTE = 10
KINDS = {"error", "unhandledrejection"}
EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
DIGITS = re.compile(r"\d{4,}")
QUERY = re.compile(r"\?[^\s]*")
TOKEN = re.compile(r"/j/[^\s/]+")


def mask(text: str, limit: int) -> str:
    """Keep the shape of an error message, not what a person typed into it."""
    text = TOKEN.sub("/j/…", text)
    text = QUERY.sub("?…", text)
    text = EMAIL.sub("…@…", text)
    text = DIGITS.sub("#", text)
    return text[:limit]


def refuse(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _same_origin(request: HttpRequest) -> bool:
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin", "")
    return origin.split("://", 1)[-1] == request.get_host()


def _allowed(request: HttpRequest) -> bool:
    who = request.session.session_key or request.META.get("REMOTE_ADDR", "?")
    key = f"client-errors:{who}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count <= PER_MINUTE


@csrf_exempt
@require_POST
def client_error(request: HttpRequest) -> HttpResponse:
    if not _same_origin(request):
        return refuse("cross_origin", "reports are accepted from this site's pages only", 403)
    if request.content_type != "application/json":
        return refuse("bad_type", "send application/json", 415)
    if len(request.body) > MAX_BODY:
        return refuse("too_large", f"a report may be at most {MAX_BODY} bytes", 413)
    try:
        data = json.loads(request.body)
    except ValueError:
        return refuse("bad_json", "not valid JSON", 400)
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        return refuse("invalid", "kind must be 'error' or 'unhandledrejection'", 400)
    if not _allowed(request):
        return refuse("rate_limited", "too many reports; try again later", 429)
    visit = data.get("visit")
    try:
        visit_id = str(uuid.UUID(str(visit))) if visit else None
    except ValueError:
        visit_id = None
    line = data.get("line")
    log.warning(
        "client.error",
        visit=visit_id,
        kind=data["kind"],
        message=mask(str(data.get("message", "")), 300),
        source=mask(str(data.get("source", "")).split("?")[0].rsplit("/", 1)[-1], 80),
        line=line if isinstance(line, int) and not isinstance(line, bool) else None,
    )
    return HttpResponse(status=204)
