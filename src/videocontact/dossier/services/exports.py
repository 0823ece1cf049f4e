"""Exports of a ready report: started per target, run (one job per export), retried with back-off, failed or sent; the retention clock starts when everything is filed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import User
from videocontact.dossier.credentials import SecretMissing, read_secret
from videocontact.dossier.models import (
    Export,
    ExportItem,
    ExportState,
    ExportTarget,
    ItemKind,
    TargetKind,
)
from videocontact.dossier.services.common import (
    FILING_KINDS,
    JOB_KIND,
    ExportRefused,
    ExportUnavailable,
    RunOutcome,
    log,
    photo_identificatie,
    photo_numbers,
    report_identificatie,
)
from videocontact.dossier.services.targets import target_problems
from videocontact.dossier.services.webhook_filing import _run_webhook
from videocontact.dossier.services.zgw_filing import _run_zgw
from videocontact.evidence import selectors as evidence_selectors
from videocontact.jobs.retry import exports_policy
from videocontact.jobs.services import job_enqueue
from videocontact.privacy.audit import audit
from videocontact.privacy.services import retention_start
from videocontact.reports.models import Report, ReportState
from videocontact.visits.models import Visit


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
