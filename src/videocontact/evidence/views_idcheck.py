"""The caseworker masks areas of an ID copy: POST JSON {"areas": [[x, y, w, h], ...]} in image
pixels (CSRF header). Object permission as for every photo view: outsiders get a 404."""

from __future__ import annotations

import json
import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from videocontact.evidence import payloads
from videocontact.evidence.errors import EvidenceError
from videocontact.evidence.masking import photo_mask as mask_service
from videocontact.evidence.views import _photo_or_404, refuse
from videocontact.visits.staff_access import staff_user

MAX_BODY = 20_000


@login_required
@require_POST
def photo_mask(request: HttpRequest, visit_id: uuid.UUID, photo_id: uuid.UUID) -> HttpResponse:
    photo = _photo_or_404(request, visit_id, photo_id)
    if len(request.body) > MAX_BODY:
        return refuse("too_large", "too many areas", 413)
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        return refuse("invalid", 'send JSON: {"areas": [[x, y, width, height], ...]}', 400)
    if not isinstance(body, dict) or set(body) != {"areas"}:
        return refuse("invalid", 'send JSON: {"areas": [[x, y, width, height], ...]}', 400)
    try:
        photo = mask_service(photo=photo, by_user=staff_user(request), areas=body["areas"])
    except EvidenceError as exc:
        return refuse(exc.code, exc.message, exc.status)
    response = JsonResponse({"photo": payloads.photo_payload(photo)})
    response["Cache-Control"] = "no-store"
    return response
