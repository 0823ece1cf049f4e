"""The identity document check (a DPIA-gated module, `id-check`): the caseworker takes a
full-resolution photo of the ID the resident holds to the camera (the ordinary photo path, with
`kind: "id-document"`); it is watermarked when stored, and the caseworker can mask areas (the
citizen service number, the passport photo: masking.py).

This module holds the rules the photo services ask (is the check on, the watermark); it imports
none of them, so services.py and masking.py may both import it."""

from __future__ import annotations

from django.utils import timezone

from videocontact.evidence import idcopy
from videocontact.evidence.hygiene import CleanImage
from videocontact.privacy.models import GatedModule
from videocontact.privacy.modules import module_enabled
from videocontact.visits.models import Visit

MODULE = GatedModule.ID_CHECK.value


def id_check_enabled(visit: Visit) -> bool:
    return module_enabled(visit.process.unit.organisation_id, MODULE)


def watermark_for(visit: Visit) -> str:
    """ "Kopie voor <organisation>, <date>, <purpose>": the purpose is the visit's process."""
    return idcopy.watermark_text(
        visit.process.unit.organisation.name, timezone.localdate(), visit.process.name
    )


def idcopy_watermarked(clean: CleanImage, visit: Visit) -> CleanImage:
    data = idcopy.burn_watermark(clean.data, watermark_for(visit))
    return CleanImage(data=data, content_type="image/jpeg", width=clean.width, height=clean.height)
