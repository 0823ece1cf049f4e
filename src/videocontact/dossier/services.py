"""Write side of the dossier app: start the exports of a ready report, run them, try again.

Running an export talks to other systems, so it is not one transaction: every remote URL is saved
the moment it is known (its own short transaction), and every document has a deterministic
`identificatie` that is looked up before anything is created. A retry after any failure (a 500,
a dropped connection, a response lost after the document was made) therefore continues where
the last attempt stopped and never files a document or a link twice.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import User
from videocontact.dossier import webhook, zgw
from videocontact.dossier.credentials import SecretMissing, read_secret, seal_secret
from videocontact.dossier.models import (
    Export,
    ExportItem,
    ExportState,
    ExportTarget,
    ItemKind,
    TargetKind,
)
from videocontact.evidence import selectors as evidence_selectors
from videocontact.evidence import services as evidence_services
from videocontact.evidence.models import Photo
from videocontact.evidence.vault import BlobMissing
from videocontact.jobs.retry import exports_policy
from videocontact.jobs.services import job_enqueue
from videocontact.privacy.services import audit, retention_start
from videocontact.reports.models import Report, ReportState
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


# Configuration


@transaction.atomic
def target_save(*, target: ExportTarget, secret: str | None, by_user: User | None) -> ExportTarget:
    """Save a target from the admin. A new secret is sealed in the vault; None keeps the old."""
    if secret:
        seal_secret(target, secret)
    created = target.pk is None
    target.save()
    audit(
        action="export_target.created" if created else "export_target.changed",
        obj=target,
        actor_user=by_user,
        kind=target.kind,
        process=target.process_id,
        secret_changed=bool(secret),
    )
    return target


def target_problems(target: ExportTarget) -> list[str]:
    """What is missing for the target to work (also checked by the admin form)."""
    problems: list[str] = []
    if target.kind == TargetKind.ZGW:
        for field in (
            "documenten_url",
            "zaken_url",
            "client_id",
            "bronorganisatie",
            "informatieobjecttype",
        ):
            if not getattr(target, field):
                problems.append(f"{field} is not set")
    elif target.kind == TargetKind.WEBHOOK and not target.webhook_url:
        problems.append("webhook_url is not set")
    if target.kind in FILING_KINDS and not target.has_secret:
        problems.append("no secret is configured")
    return problems


# Starting


@transaction.atomic
def exports_start(*, report: Report) -> list[Export]:
    """Create the exports of a ready report, one per enabled filing target of its process, each
    with its items, and schedule them. Idempotent: a second call for the same report does
    nothing new. With no filing target (download only) the retention clock starts now."""
    if report.state != ReportState.READY:
        return []
    visit = Visit.objects.select_related("process").get(pk=report.visit_id)
    targets = list(
        ExportTarget.objects.filter(process=visit.process, enabled=True, kind__in=FILING_KINDS)
    )
    exports: list[Export] = []
    for target in targets:
        export, created = Export.objects.get_or_create(
            report=report, target=target, defaults={"visit": visit}
        )
        if created:
            _create_items(export, report, visit, target)
            audit(
                action="export.started",
                obj=export,
                visit_id=visit.id,
                target=target.pk,
                kind=target.kind,
                report=str(report.pk),
            )
            job_enqueue(
                kind=JOB_KIND, payload={"export_id": str(export.pk)}, dedupe_key=export.job_key
            )
        exports.append(export)
    if not targets:
        retention_start(
            visit=visit, started_at=report.ready_at or timezone.now(), reason="report_ready"
        )
    return exports


def _create_items(export: Export, report: Report, visit: Visit, target: ExportTarget) -> None:
    ExportItem.objects.create(
        export=export,
        kind=ItemKind.REPORT,
        position=0,
        identificatie=report_identificatie(report),
        sha256=report.sha256,
    )
    if target.kind != TargetKind.ZGW:
        return  # the webhook carries the photos' metadata in the report's delivery
    numbers = photo_numbers(visit.id)
    for photo in evidence_selectors.photos_for_report(visit.id):
        ExportItem.objects.create(
            export=export,
            kind=ItemKind.PHOTO,
            photo=photo,
            position=numbers[photo.pk],
            identificatie=photo_identificatie(visit, numbers[photo.pk]),
            sha256=photo.sha256,
        )


@transaction.atomic
def export_retry(*, export: Export, by_user: User | None) -> Export:
    """The "try again" button: failed items go back to waiting and a new run is scheduled.
    Items already sent stay sent (and are not sent again)."""
    export = Export.objects.select_for_update().get(pk=export.pk)
    if export.state != ExportState.FAILED:
        return export
    export.items.exclude(state=ExportState.SENT).update(state=ExportState.WAITING, error="")
    export.run += 1
    export.state = ExportState.WAITING
    export.attempts = 0
    export.error = ""
    export.next_attempt_at = None
    export.finished_at = None
    export.save(
        update_fields=["run", "state", "attempts", "error", "next_attempt_at", "finished_at"]
    )
    audit(
        action="export.retried",
        obj=export,
        actor_user=by_user,
        visit_id=export.visit_id,
        run=export.run,
    )
    job_enqueue(kind=JOB_KIND, payload={"export_id": str(export.pk)}, dedupe_key=export.job_key)
    return export


# Running


def backoff(attempts: int) -> float:
    return exports_policy().delay(attempts)


def export_run(*, export_id: str, now: datetime | None = None) -> RunOutcome:
    """Send what has not been sent yet. Called by the job; safe to call again at any time."""
    now = now or timezone.now()
    export = (
        Export.objects.select_related("target", "report", "visit__process__unit__organisation")
        .filter(pk=export_id)
        .first()
    )
    if export is None or export.state in (ExportState.SENT, ExportState.FAILED):
        return RunOutcome(state=export.state if export else "gone")
    target = export.target
    try:
        if not target.enabled:
            raise ExportRefused("this export target has been switched off")
        problems = target_problems(target)
        if problems:
            raise ExportRefused("configuration: " + "; ".join(problems))
        try:
            secret = read_secret(target)
        except SecretMissing as exc:
            raise ExportRefused(f"configuration: {exc}") from exc
        if target.kind == TargetKind.ZGW:
            _run_zgw(export, secret)
        else:
            _run_webhook(export, secret)
    except ExportUnavailable as exc:
        return _schedule_retry(export, str(exc), now)
    except ExportRefused as exc:
        return _fail(export, str(exc), now)
    refused = list(export.items.filter(state=ExportState.FAILED).order_by("position"))
    if refused:
        return _fail(export, refused[0].error, now)  # the panel counts the refused items
    return _succeed(export, now)


def _schedule_retry(export: Export, reason: str, now: datetime) -> RunOutcome:
    attempts = export.attempts + 1
    if attempts >= settings.DOSSIER_MAX_ATTEMPTS:
        return _fail(export, f"gave up after {attempts} attempts: {reason}", now, attempts=attempts)
    delay = backoff(attempts)
    with transaction.atomic():
        Export.objects.filter(pk=export.pk).update(
            state=ExportState.RETRYING,
            attempts=attempts,
            next_attempt_at=now + timedelta(seconds=delay),
            error=reason[:2000],
        )
        export.items.exclude(state__in=[ExportState.SENT, ExportState.FAILED]).update(
            state=ExportState.RETRYING
        )
    log.warning(
        "export.retry", export=str(export.pk), attempts=attempts, delay=delay, reason=reason
    )
    return RunOutcome(state=ExportState.RETRYING, retry_after=delay, reason=reason)


def _fail(export: Export, reason: str, now: datetime, *, attempts: int | None = None) -> RunOutcome:
    # The giving-up attempt counts too, so the panel agrees with "gave up after N attempts".
    counted = {"attempts": attempts} if attempts is not None else {}
    with transaction.atomic():
        Export.objects.filter(pk=export.pk).update(
            state=ExportState.FAILED,
            error=reason[:2000],
            finished_at=now,
            next_attempt_at=None,
            **counted,
        )
        export.items.exclude(state__in=[ExportState.SENT, ExportState.FAILED]).update(
            state=ExportState.FAILED, error=reason[:2000]
        )
        audit(action="export.failed", obj=export, visit_id=export.visit_id, reason=reason[:500])
    log.warning("export.failed", export=str(export.pk), reason=reason)
    return RunOutcome(state=ExportState.FAILED, reason=reason)


def _succeed(export: Export, now: datetime) -> RunOutcome:
    with transaction.atomic():
        Export.objects.filter(pk=export.pk).update(
            state=ExportState.SENT, error="", finished_at=now, next_attempt_at=None
        )
        audit(
            action="export.sent",
            obj=export,
            visit_id=export.visit_id,
            target=export.target_id,
            documents=[item.remote_url for item in export.items.all()],
        )
        _start_retention_if_filed(export, now)
    return RunOutcome(state=ExportState.SENT)


def _start_retention_if_filed(export: Export, now: datetime) -> None:
    """The retention clock starts when every enabled filing target has this report."""
    targets = ExportTarget.objects.filter(
        process_id=export.visit.process_id, enabled=True, kind__in=FILING_KINDS
    )
    sent = Export.objects.filter(report=export.report, state=ExportState.SENT, target__in=targets)
    if sent.count() == targets.count():
        retention_start(visit=export.visit, started_at=now, reason="exported")


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


# ZGW


def zgw_config(target: ExportTarget, secret: str) -> zgw.ZgwConfig:
    return zgw.ZgwConfig(
        documenten_url=target.documenten_url,
        zaken_url=target.zaken_url,
        client_id=target.client_id,
        secret=secret,
        user_id=target.user_id or "open-videocontact",
        user_representation=target.user_representation or "Open Videocontact",
        timeout=settings.DOSSIER_HTTP_TIMEOUT,
    )


def _run_zgw(export: Export, secret: str) -> None:
    with zgw.ZgwClient(zgw_config(export.target, secret)) as client:
        try:
            zaak = export.zaak_url or _resolve_zaak(client, export)
            for item in export.items.exclude(state__in=[ExportState.SENT, ExportState.FAILED]):
                try:
                    _file_item(client, export, item, zaak)
                except zgw.ZgwRefused as exc:
                    if exc.status in (401, 403):
                        raise  # the credentials or the authorisations, not this document
                    _item_save(item, state=ExportState.FAILED, error=exc.reason[:2000])
                except ExportRefused as exc:
                    _item_save(item, state=ExportState.FAILED, error=str(exc)[:2000])
        except zgw.ZgwUnavailable as exc:
            raise ExportUnavailable(exc.reason) from exc
        except zgw.ZgwRefused as exc:
            raise ExportRefused(_refusal(exc)) from exc


def _refusal(exc: zgw.ZgwError) -> str:
    if exc.status in (401, 403):
        return (
            f"the API refused the client id or its authorisations (HTTP {exc.status}): {exc.reason}"
        )
    return exc.reason


def _resolve_zaak(client: zgw.ZgwClient, export: Export) -> str:
    reference = export.visit.case_reference.strip()
    if not reference:
        raise ExportRefused("the visit has no case reference (zaak URL or identificatie)")
    if reference.startswith(("https://", "http://")):
        zaak = reference
    else:
        found = client.find_zaak(
            identificatie=reference, bronorganisatie=export.target.bronorganisatie
        )
        if found is None:
            raise ExportRefused(
                f"no zaak with identificatie {reference!r} of bronorganisatie "
                f"{export.target.bronorganisatie} in the Zaken API"
            )
        zaak = found
    Export.objects.filter(pk=export.pk).update(zaak_url=zaak)
    export.zaak_url = zaak
    return zaak


def _document(item: ExportItem, export: Export, data: bytes, photo: Photo | None) -> zgw.DocumentIn:
    visit, report, target = export.visit, export.report, export.target
    caseworker = visit.caseworker
    auteur = caseworker.get_full_name() or caseworker.get_username()
    visit_day = timezone.localdate(visit.started_at or visit.created_at)
    common: dict[str, Any] = {
        "identificatie": item.identificatie,
        "bronorganisatie": target.bronorganisatie,
        "informatieobjecttype": target.informatieobjecttype,
        "vertrouwelijkheidaanduiding": target.vertrouwelijkheidaanduiding,
        "auteur": auteur[:200],
        "content": data,
        "sha256": item.sha256,
    }
    if photo is None:
        ready = timezone.localdate(report.ready_at or timezone.now())
        return zgw.DocumentIn(
            **common,
            titel=f"Verslag videogesprek {visit_day:%d-%m-%Y} (versie {report.number})",
            bestandsnaam=report.filename,
            formaat="application/pdf",
            creatiedatum=ready,
            signed_on=ready if report.sealed else None,
            beschrijving=f"{visit.process.name}. Verzegeld verslag, SHA-256 {report.sha256}.",
        )
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(
        photo.content_type, "bin"
    )
    return zgw.DocumentIn(
        **common,
        titel=f"Foto {item.position} bij videogesprek {visit_day:%d-%m-%Y}",
        bestandsnaam=f"foto-{item.position}.{extension}",
        formaat=photo.content_type,
        creatiedatum=timezone.localdate(photo.captured_at),
        beschrijving=photo.caption,
    )


def _file_item(client: zgw.ZgwClient, export: Export, item: ExportItem, zaak: str) -> None:
    target = export.target
    if not item.document_url:
        found = client.find_document(
            bronorganisatie=target.bronorganisatie, identificatie=item.identificatie
        )
        if found is not None:
            if found.sha256 and found.sha256 != item.sha256:
                raise ExportRefused(
                    f"{item.identificatie}: a different document with this identificatie "
                    f"already exists ({found.url})"
                )
            url = found.url
        else:
            data, photo = _content(item, export, purpose="export:zgw")
            url = client.create_document(_document(item, export, data, photo))
        _item_save(item, document_url=url)
    if not item.link_url:
        link = client.find_link(zaak=zaak, informatieobject=item.document_url)
        if link is None:
            link = client.create_link(zaak=zaak, informatieobject=item.document_url)
        _item_save(item, link_url=link)
    with transaction.atomic():
        _item_save(item, state=ExportState.SENT, error="", sent_at=timezone.now())
        audit(
            action="export.document_filed",
            obj=export,
            visit_id=export.visit_id,
            identificatie=item.identificatie,
            document=item.document_url,
            link=item.link_url,
            sha256=item.sha256,
        )


# Webhook


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
