"""Evidence on staff and call pages: the panel on the caseworker's visit page
(templates/staff/visit_detail.html) and the photo parts of the call page (templates/call/call.html).
"""

from __future__ import annotations

from typing import Any

from django import template

from videocontact.evidence.call_config import id_check_config, photo_config
from videocontact.evidence.selectors import photos_for_visit, question_labels
from videocontact.privacy.approvals import storage_allowed
from videocontact.privacy.models import StorageKind

register = template.Library()


@register.inclusion_tag("evidence/_visit_panel.html", takes_context=True)
def evidence_panel(context: dict[str, Any], visit: Any) -> dict[str, Any]:
    photos = photos_for_visit(visit.id)
    labels = question_labels(visit.id) if any(photo.question_id for photo in photos) else {}
    for photo in photos:
        photo.question_label = labels.get(photo.question_id, "")  # type: ignore[attr-defined]
    return {
        "visit": visit,
        "request": context.get("request"),
        "photos": photos,
        "stores_photos": visit.process.stores_photos,
        "photos_approved": storage_allowed(visit.process_id, StorageKind.PHOTOS),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("evidence/_call_photos.html", takes_context=True)
def evidence_call(context: dict[str, Any], visit: Any, is_staff: bool) -> dict[str, Any]:
    """Config (json_script) plus the resident's flash and notice, or the caseworker's gallery."""
    return {
        "visit": visit,
        "is_staff": is_staff,
        "photo_config": photo_config(context["request"], visit, is_staff=is_staff),
        "id_config": id_check_config(visit) if is_staff and visit.process.stores_photos else {},
    }
