"""Photos of a visit past its term: the encrypted blobs first, then the rows."""

from __future__ import annotations

import uuid

from videocontact.evidence.models import Photo, PhotoRequest
from videocontact.evidence.vault import destroy
from videocontact.privacy.purge import register_purger


def purge_photos(visit_id: uuid.UUID) -> dict[str, int]:
    photos = Photo.objects.filter(visit_id=visit_id)
    for blob_name in photos.values_list("blob_name", flat=True):
        destroy(blob_name)  # idempotent: a blob already gone is fine
    count, _ = photos.delete()
    PhotoRequest.objects.filter(visit_id=visit_id).delete()
    return {"photos": count}


register_purger("evidence", purge_photos, order=20)
