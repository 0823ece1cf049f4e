"""Filing by a signed webhook: one POST per export with the report and metadata."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocontact.dossier import webhook
from videocontact.dossier.models import (
    Export,
    ExportState,
)
from videocontact.dossier.services.common import (
    ExportUnavailable,
    _content,
    _item_save,
    photo_identificatie,
    photo_numbers,
    report_identificatie,
)
from videocontact.evidence import selectors as evidence_selectors
from videocontact.privacy.audit import audit


def webhook_payload(export: Export, data: bytes) -> dict[str, Any]:
    visit, report = export.visit, export.report
    numbers = photo_numbers(visit.id)
    return {
        "event": "report.ready",
        "delivery": str(export.pk),
        "organisation": visit.organisation.slug,
        "process": visit.process.code,
        "visit": {
            "id": str(visit.id),
            "case_reference": visit.case_reference,
            "started_at": visit.started_at.isoformat() if visit.started_at else None,
            "ended_at": visit.ended_at.isoformat() if visit.ended_at else None,
        },
        "report": {
            "identificatie": report_identificatie(report),
            "number": report.number,
            "filename": report.filename,
            "content_type": "application/pdf",
            "size": report.size,
            "sha256": report.sha256,
            "sealed": report.sealed,
            "signature_sha256": report.signature_sha256,
            "ready_at": report.ready_at.isoformat() if report.ready_at else None,
            "content_base64": base64.b64encode(data).decode("ascii"),
        },
        "photos": [
            {
                "identificatie": photo_identificatie(visit, numbers[photo.pk]),
                "number": numbers[photo.pk],
                "sha256": photo.sha256,
                "content_type": photo.content_type,
                "width": photo.width,
                "height": photo.height,
                "captured_at": photo.captured_at.isoformat(),
                "caption": photo.caption,
            }
            for photo in evidence_selectors.photos_for_report(visit.id)
        ],
    }


def _run_webhook(export: Export, secret: str) -> None:
    for item in export.items.exclude(state__in=[ExportState.SENT, ExportState.FAILED]):
        data, _ = _content(item, export, purpose="export:webhook")
        try:
            webhook.deliver(
                url=export.target.webhook_url,
                secret=secret,
                payload=webhook_payload(export, data),
                delivery_id=str(export.pk),
                timeout=settings.DOSSIER_HTTP_TIMEOUT,
            )
        except webhook.WebhookUnavailable as exc:
            raise ExportUnavailable(str(exc)) from exc
        except webhook.WebhookRefused as exc:
            _item_save(item, state=ExportState.FAILED, error=str(exc)[:2000])
            continue
        with transaction.atomic():
            _item_save(item, state=ExportState.SENT, error="", sent_at=timezone.now())
            audit(
                action="export.webhook_delivered",
                obj=export,
                visit_id=export.visit_id,
                host=export.target.webhook_host,
                sha256=item.sha256,
            )
