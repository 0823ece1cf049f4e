"""Shared by the filing services: errors, the run's outcome, identificaties and content of items."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import structlog

from videocontact.dossier.models import (
    Export,
    ExportItem,
    ItemKind,
    TargetKind,
)
from videocontact.evidence import selectors as evidence_selectors
from videocontact.evidence import services as evidence_services
from videocontact.evidence.models import Photo
from videocontact.evidence.vault import BlobMissing
from videocontact.reports.models import Report
from videocontact.reports.services import report_read
from videocontact.visits.models import Visit

log = structlog.get_logger("dossier")


JOB_KIND = "dossier.export"


FILING_KINDS = (TargetKind.ZGW, TargetKind.WEBHOOK)


class ExportRefused(Exception):
    """The export cannot succeed as configured or as the remote side answered."""


class ExportUnavailable(Exception):
    """The remote side could not be reached or had a temporary problem."""


@dataclass(frozen=True)
class RunOutcome:
    state: str
    retry_after: float | None = None
    reason: str = ""


def visit_short_id(visit: Visit) -> str:
    return visit.id.hex[:20]


def report_identificatie(report: Report) -> str:
    return f"OVC-{visit_short_id(report.visit)}-R{report.number}"


def photo_identificatie(visit: Visit, number: int) -> str:
    return f"OVC-{visit_short_id(visit)}-F{number}"


def photo_numbers(visit_id: Any) -> dict[Any, int]:
    """Photo n of a visit: its place among all photos ever taken in the visit (discarded ones
    keep their number), so F<n> names the same photo in every export of every report version."""
    photos = evidence_selectors.photos_for_visit(visit_id, include_discarded=True)
    return {photo.pk: n for n, photo in enumerate(photos, start=1)}


def _item_save(item: ExportItem, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(item, name, value)
    ExportItem.objects.filter(pk=item.pk).update(**fields)


def _content(item: ExportItem, export: Export, purpose: str) -> tuple[bytes, Photo | None]:
    """The exact bytes of the item, decrypted (audited), checked against the recorded hash."""
    try:
        if item.kind == ItemKind.REPORT:
            data, photo = report_read(report=export.report, by_user=None, purpose=purpose), None
        else:
            photo = item.photo
            if photo is None:
                raise ExportRefused(f"{item.identificatie}: the photo no longer exists")
            if photo.is_discarded:
                raise ExportRefused(f"{item.identificatie}: the photo was discarded")
            data = evidence_services.photo_read(photo=photo, by_user=None, purpose=purpose)
    except BlobMissing as exc:
        raise ExportRefused(f"{item.identificatie}: the file is missing from the vault") from exc
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise ExportRefused(f"{item.identificatie}: the file does not match its recorded hash")
    return data, photo
