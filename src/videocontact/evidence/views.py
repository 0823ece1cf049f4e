"""Evidence over HTTP: the resident's page uploads a photo; staff view, caption and discard.

The upload body is the raw image (Content-Type image/jpeg or image/png), the request id comes in
the `X-Photo-Request` header, and the CSRF token in `X-CSRFToken`. Django's
DATA_UPLOAD_MAX_MEMORY_SIZE only guards `request.body` and form parsing; this view never touches
`request.body`: it checks Content-Length against PHOTO_MAX_BYTES first and then reads at most
PHOTO_MAX_BYTES + 1 bytes from the stream. Under ASGI, `asgi.limit_photo_uploads` refuses an
oversized or unsized body before Django reads (spools) any of it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from videocontact.evidence import payloads, selectors, services
from videocontact.evidence.errors import EvidenceError
from videocontact.evidence.models import Photo
from videocontact.visits.access import resident_access
from videocontact.visits.staff_access import staff_user, staff_visit_or_404

UPLOAD_TYPES = frozenset({"image/jpeg", "image/png"})
REQUEST_HEADER = "X-Photo-Request"


def refuse(code: str, message: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _content_length(request: HttpRequest) -> int | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


@require_POST
def photo_upload(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    access = resident_access(request.session, visit_id)
    if access.participant is None:
        return refuse("no_session", "open the link from your invitation first", 403)
    if access.problem == "ended":
        return refuse("visit_closed", "the visit is not open", 409)
    if not access.allowed:
        return refuse("forbidden", f"not allowed for this visit ({access.problem})", 403)
    participant = access.participant
    length = _content_length(request)
    if length is None:
        return refuse("length_required", "send the photo with a Content-Length", 411)
    if length > settings.PHOTO_MAX_BYTES:
        return refuse("too_large", f"a photo may be at most {settings.PHOTO_MAX_BYTES} bytes", 413)
    content_type = request.content_type or ""
    if content_type not in UPLOAD_TYPES:
        return refuse("bad_type", "send a JPEG or PNG image as the request body", 415)
    try:
        request_id = uuid.UUID(request.headers.get(REQUEST_HEADER, ""))
    except ValueError:
        return refuse("unknown_request", f"the {REQUEST_HEADER} header is missing or bad", 400)
    data = request.read(settings.PHOTO_MAX_BYTES + 1)
    if len(data) > settings.PHOTO_MAX_BYTES:
        return refuse("too_large", f"a photo may be at most {settings.PHOTO_MAX_BYTES} bytes", 413)
    if not data:
        return refuse("empty", "the request body is empty", 400)
    try:
        upload = services.photo_upload(
            visit_id=visit_id, participant=participant, request_id=request_id, data=data
        )
    except EvidenceError as exc:
        return refuse(exc.code, exc.message, exc.status)
    photo = upload.photo
    response = JsonResponse(
        {
            "id": str(photo.id),
            "sha256": photo.sha256,
            "width": photo.width,
            "height": photo.height,
            "created": upload.created,
        },
        status=201 if upload.created else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


# Staff ------------------------------------------------------------------------------------------


def _photo_or_404(request: HttpRequest, visit_id: uuid.UUID, photo_id: uuid.UUID) -> Photo:
    photo = selectors.photo_for_staff(staff_user(request), visit_id, photo_id)
    if photo is None:
        raise Http404("no such photo")
    request.organisation = photo.visit.organisation  # type: ignore[attr-defined]  # branding
    return photo


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_GET
def photo_list(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    staff_visit_or_404(request, visit_id)
    labels = selectors.question_labels(visit_id)
    photos = [
        payloads.photo_payload(photo, labels) for photo in selectors.photos_for_visit(visit_id)
    ]
    response = JsonResponse({"photos": photos})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def photo_image(request: HttpRequest, visit_id: uuid.UUID, photo_id: uuid.UUID) -> HttpResponse:
    photo = _photo_or_404(request, visit_id, photo_id)
    try:
        data = services.photo_read(photo=photo, by_user=staff_user(request), purpose="view")
    except EvidenceError as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(data, content_type=photo.content_type)
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = f'inline; filename="photo-{photo.id}.jpg"'
    response["X-Content-SHA256"] = photo.sha256
    return response


@login_required
@require_POST
def photo_caption(request: HttpRequest, visit_id: uuid.UUID, photo_id: uuid.UUID) -> HttpResponse:
    photo = _photo_or_404(request, visit_id, photo_id)
    caption = request.POST.get("caption")
    if caption is None:
        error = refuse("invalid", "the field 'caption' is required", 400)
        return error if _wants_json(request) else redirect("staff:visit", visit_id=visit_id)
    try:
        photo = services.photo_caption(photo=photo, by_user=staff_user(request), caption=caption)
    except EvidenceError as exc:
        if _wants_json(request):
            return refuse(exc.code, exc.message, exc.status)
        return redirect("staff:visit", visit_id=visit_id)
    if _wants_json(request):
        return JsonResponse({"photo": payloads.photo_payload(photo)})
    return redirect("staff:visit", visit_id=visit_id)


@login_required
@require_http_methods(["GET", "POST"])
def photo_discard(request: HttpRequest, visit_id: uuid.UUID, photo_id: uuid.UUID) -> HttpResponse:
    """GET shows a confirmation page (the visit page links here); POST discards."""
    photo = _photo_or_404(request, visit_id, photo_id)
    if request.method == "GET":
        context: dict[str, Any] = {"photo": photo, "visit": photo.visit}
        return render(request, "evidence/discard_confirm.html", context)
    try:
        services.photo_discard(photo=photo, by_user=staff_user(request))
    except EvidenceError as exc:
        if _wants_json(request):
            return refuse(exc.code, exc.message, exc.status)
        messages.error(
            request, _("This photo is already part of a report. It can no longer be discarded.")
        )
        return redirect("staff:visit", visit_id=visit_id)
    if _wants_json(request):
        return JsonResponse({"discarded": str(photo.id)})
    return redirect("staff:visit", visit_id=visit_id)
