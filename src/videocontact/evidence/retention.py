"""Photos of a visit past its term: the encrypted blobs first, then the rows."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from videocontact.evidence.models import Photo, PhotoRequest
from videocontact.evidence.vault import destroy, store
from videocontact.privacy.purge import register_purger, register_sweeper

# A blob is written before the row that names it is committed: only older ones can be orphans.
ORPHAN_AGE = timedelta(days=1)
# Only evidence is swept: keys and secrets (seal-keys/, secrets/) are never touched here.
SWEPT_PREFIXES = ("photos/", "reports/")
_references: list[Callable[[], set[str]]] = []


def register_blob_references(names: Callable[[], set[str]]) -> None:
    """Apps that keep blobs in the evidence store name them, so the sweep leaves them alone."""
    if names not in _references:
        _references.append(names)


def _photo_blobs() -> set[str]:
    return set(Photo.objects.values_list("blob_name", flat=True))


def sweep_orphans(now: datetime) -> int:
    """Blobs no row names any more (a crash between writing a blob and saving its row, or
    between deleting a row and its blob): deleted, when older than ORPHAN_AGE."""
    referenced: set[str] = set()
    for names in _references:
        referenced |= names()
    orphans = [
        name
        for name, modified in store().listing()
        if name.startswith(SWEPT_PREFIXES)
        and name not in referenced
        and modified < now - ORPHAN_AGE
    ]
    for name in orphans:
        destroy(name)
    return len(orphans)


def purge_photos(visit_id: uuid.UUID) -> dict[str, int]:
    photos = Photo.objects.filter(visit_id=visit_id)
    for blob_name in photos.values_list("blob_name", flat=True):
        destroy(blob_name)  # idempotent: a blob already gone is fine
    count, _ = photos.delete()
    PhotoRequest.objects.filter(visit_id=visit_id).delete()
    return {"photos": count}


register_purger("evidence", purge_photos, order=20)
register_blob_references(_photo_blobs)
register_sweeper(sweep_orphans)
