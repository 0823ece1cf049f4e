"""Location checks of a visit past its term (no blobs: rows only)."""

from __future__ import annotations

import uuid

from videocontact.checks.models import LocationCheck
from videocontact.privacy.purge import register_purger


def purge_location_checks(visit_id: uuid.UUID) -> dict[str, int]:
    deleted, _ = LocationCheck.objects.filter(visit_id=visit_id).delete()
    return {"location_checks": deleted}


register_purger("location_checks", purge_location_checks, order=40)
