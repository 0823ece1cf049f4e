"""Help videos with range requests, their captions, and the public device and network check."""

from __future__ import annotations

import time
from typing import IO

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from videocontact.guidance import checks
from videocontact.guidance.models import Audience, HelpVideo
from videocontact.guidance.ranges import (
    AsyncRangeStream,
    ByteRange,
    RangeStream,
    Unsatisfiable,
    parse_range,
)
from videocontact.guidance.selectors import staff_may_watch, video_published


def _video_or_404(request: HttpRequest, pk: int) -> HelpVideo:
    video = video_published(pk)
    if video is None:
        raise Http404("no such video")
    if video.audience == Audience.STAFF and not staff_may_watch(request.user, video):
        raise Http404("no such video")  # staff help: signed-in staff of its organisation only
    return video


def _cache_headers(response: HttpResponseBase, video: HelpVideo) -> None:
    response.headers["ETag"] = f'"{video.sha256[:32]}"'
    response.headers["Last-Modified"] = http_date(video.updated_at.timestamp())
    response.headers["Cache-Control"] = (
        "private, max-age=3600" if video.audience == Audience.STAFF else "public, max-age=3600"
    )


@require_http_methods(["GET", "HEAD"])
def video_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The video, whole (200) or one byte range (206); 416 for a range beyond the end."""
    video = _video_or_404(request, pk)
    try:
        fileobj = video.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("the video file is missing") from exc
    size = video.file.size
    header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if if_range and if_range.strip() != f'"{video.sha256[:32]}"':
        header = None  # the client's copy is another version: send the whole file
    try:
        byte_range = parse_range(header, size)
    except Unsatisfiable:
        fileobj.close()
        response: HttpResponse | StreamingHttpResponse = HttpResponse(status=416)
        response.headers["Content-Range"] = f"bytes */{size}"
        response.headers["Accept-Ranges"] = "bytes"
        return response
    if request.method == "HEAD":
        fileobj.close()
        response = HttpResponse(content_type=video.content_type)
        response.headers["Content-Length"] = str(size)
    elif byte_range is None:
        response = StreamingHttpResponse(
            _stream(request, fileobj, ByteRange(0, size - 1)), content_type=video.content_type
        )
        response.headers["Content-Length"] = str(size)
    else:
        response = StreamingHttpResponse(
            _stream(request, fileobj, byte_range), content_type=video.content_type, status=206
        )
        response.headers["Content-Length"] = str(byte_range.length)
        response.headers["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{size}"
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["Content-Disposition"] = "inline"
    _cache_headers(response, video)
    return response


def _stream(request: HttpRequest, fileobj: IO[bytes], byte_range: ByteRange) -> RangeStream:
    if isinstance(request, ASGIRequest):
        return AsyncRangeStream(fileobj, byte_range)
    return RangeStream(fileobj, byte_range)


@require_GET
def video_captions(request: HttpRequest, pk: int) -> HttpResponse:
    video = _video_or_404(request, pk)
    if not video.captions:
        raise Http404("no captions")
    with video.captions.open("rb") as handle:
        data = handle.read(settings.GUIDANCE_CAPTIONS_MAX_BYTES)
    response = HttpResponse(data, content_type="text/vtt; charset=utf-8")
    _cache_headers(response, video)
    return response


@require_GET
def video_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The still shown before play (made with ffmpeg when the video was saved)."""
    video = _video_or_404(request, pk)
    if not video.poster:
        raise Http404("no poster")
    try:
        with video.poster.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise Http404("no poster") from exc
    response = HttpResponse(data, content_type="image/jpeg")
    _cache_headers(response, video)
    return response


@require_GET
def device_check(request: HttpRequest) -> HttpResponse:
    """The device and network check, open to anyone (before the appointment too)."""
    return render(
        request,
        "guidance/check.html",
        {"check_config": checks.check_config(request), "next_url": None},
    )


@never_cache
@require_GET
def turn_credentials(request: HttpRequest) -> JsonResponse:
    """Short-lived TURN credentials for the connection test, for browsers that opened a link."""
    if not checks.may_test_turn(request.session):
        return JsonResponse(
            {"error": "no_link", "message": "open the link from your invitation first"},
            status=403,
        )
    now = time.time()
    wait = checks.turn_issue_allowed(request.session, now=now)
    if wait:
        response = JsonResponse(
            {"error": "rate_limited", "message": "too many connection tests; try again later"},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    return JsonResponse(checks.turn_payload(now=now))
