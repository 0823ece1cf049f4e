"""The photo part of the call page's configuration (a json_script of its own, see
templatetags/evidence_panels.py): upload path, CSRF token and translated strings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext as _

from videocontact.privacy.approvals import storage_allowed
from videocontact.privacy.models import StorageKind
from videocontact.visits.models import Visit


def photo_strings() -> dict[str, str]:
    """The photo parts of the call page (js/capture.js, js/gallery.js), translated."""
    return {
        "photoTaken": _("The caseworker took a photo."),
        "photoUploading": _("Sending the photo…"),
        "photoFailed": _("The photo could not be sent."),
        "photoNoCamera": _("Your camera is off. No photo was taken."),
        "promptTorchOn": _("The caseworker wants to turn on the lamp. Is that OK?"),
        "promptTorchOff": _("The caseworker wants to turn off the lamp. Is that OK?"),
        "promptZoom": _("The caseworker wants to zoom in or out. Is that OK?"),
        "promptYes": _("Yes"),
    }


def staff_photo_strings() -> dict[str, str]:
    return {
        "takePhoto": _("Take photo"),
        "photoRequested": _("Taking a photo…"),
        "photoArrived": _("The photo has arrived."),
        "photoFailedStaff": _("The photo did not arrive ({code}). Please try again."),
        "photoError": _("No photo: {message}"),
        "photoNoResident": _("The resident is not in the call."),
        "photoCaption": _("Caption"),
        "photoSaveCaption": _("Save"),
        "photoCaptionSaved": _("Caption saved."),
        "photoDiscard": _("Discard"),
        "photoConfirmDiscard": _(
            "Discard this photo? It will be deleted and not be in the report."
        ),
        "photoHash": _("SHA-256"),
        "photoDetails": _("Technical details"),
        "photoQuestion": _("For the question: {label}"),
        "photoTakenAt": _("Taken at {time}"),
        "photoNone": _("No photos yet."),
        "photoAlt": _("Photo {n}, taken at {time}"),
        "torchOn": _("Lamp on"),
        "zoom": _("Zoom"),
        "torchAccepted": _("The lamp was switched."),
        "zoomAccepted": _("The zoom was changed."),
        "requestDeclined": _("The resident said no."),
        "photoRefused.photos_not_allowed": _("This process does not allow photos."),
        "photoRefused.not_resident": _("Photos can only be taken with the resident's camera."),
        "photoRefused.not_in_call": _("The resident is not in the call."),
        "photoRefused.too_many_requests": _("Wait until the photos you asked for have arrived."),
        "photoRefused.photo_limit": _("This visit already has the maximum number of photos."),
        "photoRefused.visit_closed": _("The visit is closed."),
        "photoRefused.storage_not_approved": _(
            "Photos are not stored for this process: the privacy officer has not approved it."
        ),
    }


def photo_config(request: HttpRequest, visit: Visit, *, is_staff: bool) -> dict[str, Any]:
    config: dict[str, Any] = {
        "csrfToken": get_token(request),
        "jpegQuality": 0.92,
        "maxBytes": settings.PHOTO_MAX_BYTES,
        "strings": photo_strings(),
    }
    if is_staff:
        approved = storage_allowed(visit.process_id, StorageKind.PHOTOS)
        config["allowed"] = visit.process.stores_photos and approved
        config["notApproved"] = visit.process.stores_photos and not approved
        config["listUrl"] = reverse("evidence:photo_list", kwargs={"visit_id": visit.id})
        config["strings"].update(staff_photo_strings())
    else:
        config["uploadUrl"] = reverse("evidence:photo_upload", kwargs={"visit_id": visit.id})
    return config


def id_check_config(visit: Visit) -> dict[str, Any]:
    """The caseworker's identity document check (js/idcheck.js); empty while the module is off."""
    from videocontact.evidence.idcheck import id_check_enabled, watermark_for

    if not id_check_enabled(visit):
        return {}
    return {
        "watermark": watermark_for(visit),
        "strings": {
            "idTitle": _("Identity document"),
            "idIntro": _(
                "Ask the resident to hold the identity document in front of the camera. "
                "The copy gets the watermark: {watermark}"
            ),
            "idTake": _("Copy the identity document"),
            "idRequested": _("Taking the copy…"),
            "idMaskHelp": _(
                "Draw a box over the citizen service number (BSN) and over the passport photo, "
                "then save. Only the masked copy is kept."
            ),
            "idCopyAlt": _("Copy of the identity document, taken at {time}"),
            "idAreas": _("Areas to mask: {count}"),
            "idMask": _("Mask and save"),
            "idClear": _("Remove the boxes"),
            "idMasked": _("Masked. The copy without masks has been deleted."),
            "idMaskFailed": _("Masking failed: {message}"),
            "idNoResident": _("The resident is not in the call."),
            "idKeyboard": _("Add an area with the keyboard"),
            "idX": _("From the left (pixels)"),
            "idY": _("From the top (pixels)"),
            "idWidth": _("Width (pixels)"),
            "idHeight": _("Height (pixels)"),
            "idAdd": _("Add the area"),
            "idAreaInvalid": _(
                "The area must lie inside the image ({width} by {height} pixels) and be at least 4 pixels."
            ),
        },
    }
