"""Write side of reports: schedule a build, build it (content → PDF → seal → vault), retry,
read, and import the organisation's seal certificate."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import structlog
from cryptography.exceptions import InvalidTag
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from videocontact.accounts.models import Organisation, User
from videocontact.evidence import vault
from videocontact.evidence.errors import EvidenceError
from videocontact.jobs.selectors import job_by_key
from videocontact.jobs.services import job_enqueue, job_retry_now
from videocontact.privacy.approvals import storage_allowed
from videocontact.privacy.audit import audit
from videocontact.privacy.models import StorageKind
from videocontact.reports.errors import ReportBuildError
from videocontact.reports.models import (
    Report,
    ReportState,
    ReportTrigger,
    SealCertificate,
)
from videocontact.reports.signals import report_ready
from videocontact.visits.models import Visit

if TYPE_CHECKING:
    from videocontact.reports.seal import SealMaterial

log = structlog.get_logger("reports")

BUILD_JOB = "reports.build"


def _job_key(visit: Visit, trigger: str, number: int) -> str:
    if trigger == ReportTrigger.VISIT_END:
        return f"{BUILD_JOB}:{visit.id}:visit-end"  # the end of a visit builds one report, ever
    return f"{BUILD_JOB}:{visit.id}:{number}"


@transaction.atomic
def report_schedule(*, visit: Visit, by_user: User | None, trigger: str) -> Report:
    """A new report (next number) in state `building`, and its build job. Call it inside the
    caller's transaction: the job exists exactly when the change that asked for it does. For the
    end of a visit the job's dedupe key makes a second call return the first report."""
    Visit.objects.select_for_update().filter(pk=visit.pk).first()  # numbers one at a time
    if trigger == ReportTrigger.VISIT_END:
        existing = Report.objects.filter(job_key=_job_key(visit, trigger, 0)).first()
        if existing is not None:
            return existing
    else:
        building = Report.objects.filter(visit=visit, state=ReportState.BUILDING).first()
        if building is not None:
            # A double click on "Make again" builds (and files) one new version, not two.
            return building
    number = (Report.objects.filter(visit=visit).aggregate(n=Max("number"))["n"] or 0) + 1
    key = _job_key(visit, trigger, number)
    report = Report.objects.create(
        visit=visit,
        number=number,
        trigger=trigger,
        requested_by=by_user,
        job_key=key,
    )
    job_enqueue(kind=BUILD_JOB, payload={"report": str(report.id)}, dedupe_key=key, max_attempts=3)
    audit(
        action="report.requested",
        obj=report,
        actor_user=by_user,
        visit_id=visit.id,
        number=number,
        trigger=trigger,
    )
    return report


@transaction.atomic
def report_retry(*, report: Report, by_user: User) -> Report:
    """Build a failed report again (same number): its job goes back in the queue."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportState.FAILED:
        return report
    report.state = ReportState.BUILDING
    report.error = ""
    report.error_code = ""
    report.save(update_fields=["state", "error", "error_code"])
    job = job_by_key(report.job_key)
    if job is None:
        job_enqueue(kind=BUILD_JOB, payload={"report": str(report.id)}, dedupe_key=report.job_key)
    else:
        job_retry_now(job=job)
    audit(
        action="report.retried",
        obj=report,
        actor_user=by_user,
        visit_id=report.visit_id,
        number=report.number,
    )
    return report


@transaction.atomic
def report_fail(*, report_id: uuid.UUID, code: str, detail: str = "") -> None:
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.state == ReportState.READY:
        return
    report.state = ReportState.FAILED
    report.error_code = code
    report.error = detail[:2000]
    report.save(update_fields=["state", "error_code", "error"])
    audit(
        action="report.failed",
        obj=report,
        visit_id=report.visit_id,
        number=report.number,
        code=code,
    )


@dataclass(frozen=True)
class BuildTimings:
    gather_seconds: float
    html_seconds: float
    layout_seconds: float
    seal_seconds: float
    store_seconds: float
    pages: int


def _seal_material(organisation: Organisation, now: datetime) -> tuple[SealCertificate, bytes]:
    certificate = SealCertificate.objects.filter(organisation=organisation).first()
    if certificate is None:
        raise ReportBuildError("no_seal_certificate")
    if not certificate.not_valid_before <= now <= certificate.not_valid_after:
        raise ReportBuildError("seal_expired", certificate.not_valid_after.isoformat())
    try:
        key_der = vault.unseal(certificate.key_blob_name, certificate.key_id)
    except (vault.BlobMissing, InvalidTag) as exc:
        raise ReportBuildError("evidence_unreadable", "seal key") from exc
    return certificate, key_der


def build_sealed_pdf(
    *, visit: Visit, number: int, now: datetime
) -> tuple[bytes, str, SealCertificate, BuildTimings]:
    """The sealed PDF of a visit (nothing stored). Returns (pdf, signature sha256, certificate,
    timings). Reads every photo through the audited photo_read."""
    # WeasyPrint and pyHanko are imported only where a report is built (web workers never do).
    from videocontact.reports import content, pdf, seal

    certificate, key_der = _seal_material(visit.organisation, now)
    started = time.perf_counter()
    try:
        gathered = content.gather(visit=visit, number=number, now=now)
    except (vault.BlobMissing, InvalidTag) as exc:
        raise ReportBuildError("evidence_unreadable", type(exc).__name__) from exc
    except EvidenceError as exc:  # photo_read: a photo's blob is missing or fails its check
        raise ReportBuildError("evidence_unreadable", exc.code) from exc
    gathered_at = time.perf_counter()
    rendered = pdf.render_pdf(gathered)
    sealing = time.perf_counter()
    try:
        sealed = seal.seal_pdf(
            rendered.pdf,
            chain_pem=certificate.chain_pem,
            key_der=key_der,
            reason=f"Verslag {number} van bezoek {visit.id}",
            location=visit.organisation.name,
            name=visit.organisation.name,
        )
    except (ValueError, TypeError) as exc:
        raise ReportBuildError("seal_invalid", f"{type(exc).__name__}: {exc}") from exc
    done = time.perf_counter()
    timings = BuildTimings(
        gather_seconds=gathered_at - started,
        html_seconds=rendered.html_seconds,
        layout_seconds=rendered.layout_seconds,
        seal_seconds=done - sealing,
        store_seconds=0.0,
        pages=rendered.pages,
    )
    return sealed, gathered.signature_sha256, certificate, timings


def _announce_ready(report: Report) -> None:
    """Send report_ready. A failing listener (say, the export) must not undo a built report nor
    fail its job: its error is logged, the other listeners still run."""
    for receiver, result in report_ready.send_robust(sender=Report, report=report):
        if isinstance(result, Exception):
            log.error(
                "report.ready_listener_failed",
                report=str(report.id),
                receiver=getattr(receiver, "__qualname__", repr(receiver)),
                error=f"{type(result).__name__}: {result}",
            )


def report_build(*, report_id: uuid.UUID) -> Report | None:
    """Build, seal and store one report; idempotent (a ready report is left as it is). The slow
    part runs outside any transaction; only the final state change is atomic. Raises
    ReportBuildError (the job handler records it on the report)."""
    report = (
        Report.objects.select_related("visit__process__unit__organisation")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.state != ReportState.BUILDING:
        return report
    if not storage_allowed(report.visit.process_id, StorageKind.REPORT):
        raise ReportBuildError("not_approved")  # the approval was withdrawn since it was asked
    now = timezone.now()
    data, signature_sha256, certificate, timings = build_sealed_pdf(
        visit=report.visit, number=report.number, now=now
    )
    blob = vault.seal(data, prefix=f"reports/{report.visit_id}")
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.state != ReportState.BUILDING:  # another worker finished it meanwhile
            vault.destroy(blob.name)
            return locked
        locked.state = ReportState.READY
        locked.ready_at = timezone.now()
        locked.blob_name = blob.name
        locked.key_id = blob.key_id
        locked.sha256 = blob.sha256
        locked.size = blob.size
        locked.sealed = True
        locked.sealed_by = certificate.subject
        locked.signature_sha256 = signature_sha256
        locked.error = ""
        locked.error_code = ""
        locked.save()
        audit(
            action="report.ready",
            obj=locked,
            visit_id=locked.visit_id,
            number=locked.number,
            sha256=blob.sha256,
            size=blob.size,
            seal=certificate.fingerprint_sha256,
        )
        transaction.on_commit(lambda: _announce_ready(locked))
    log.info(
        "report.built",
        report=str(locked.id),
        pages=timings.pages,
        layout=round(timings.layout_seconds, 3),
        seal=round(timings.seal_seconds, 3),
    )
    return locked


def report_read(
    *,
    report: Report,
    by_user: User | None,
    purpose: str,
    by_participant_id: uuid.UUID | None = None,
) -> bytes:
    """The sealed PDF's bytes. Every read is audited with its purpose (download, export, …)."""
    data = vault.unseal(report.blob_name, report.key_id)
    audit(
        action="report.read",
        obj=report,
        actor_user=by_user,
        actor_participant_id=by_participant_id,
        visit_id=report.visit_id,
        purpose=purpose,
    )
    return data


@transaction.atomic
def seal_certificate_store(
    *, organisation: Organisation, material: SealMaterial, by_user: User | None = None
) -> SealCertificate:
    """Store (or replace) the organisation's seal certificate; the key goes into the vault."""
    from videocontact.reports import seal

    certificate = material.certificate
    blob = vault.seal(material.key_der, prefix=f"seal-keys/{organisation.pk}")
    previous = SealCertificate.objects.filter(organisation=organisation).first()
    old_blob = previous.key_blob_name if previous else None
    fields = {
        "subject": seal.subject_text(certificate),
        "issuer": seal.issuer_text(certificate),
        "serial_number": format(certificate.serial_number, "x")[:80],
        "fingerprint_sha256": material.fingerprint_sha256,
        "not_valid_before": certificate.not_valid_before_utc.astimezone(UTC),
        "not_valid_after": certificate.not_valid_after_utc.astimezone(UTC),
        "chain_pem": material.chain_pem,
        "key_blob_name": blob.name,
        "key_id": blob.key_id,
    }
    stored, _ = SealCertificate.objects.update_or_create(organisation=organisation, defaults=fields)
    if old_blob:
        transaction.on_commit(lambda: vault.destroy(old_blob))
    audit(
        action="seal_certificate.imported",
        obj=stored,
        actor_user=by_user,
        fingerprint=stored.fingerprint_sha256,
        subject=stored.subject,
        not_valid_after=stored.not_valid_after.isoformat(),
    )
    return stored
