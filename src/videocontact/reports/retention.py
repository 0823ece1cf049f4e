"""Reports of a visit past its term: their encrypted PDFs, then the rows (exports cascade)."""

from __future__ import annotations

import uuid

from videocontact.evidence.retention import register_blob_references
from videocontact.evidence.vault import destroy
from videocontact.privacy.purge import register_purger
from videocontact.reports.models import Report, SealCertificate


def purge_reports(visit_id: uuid.UUID) -> dict[str, int]:
    reports = Report.objects.filter(visit_id=visit_id)
    for blob_name in reports.exclude(blob_name="").values_list("blob_name", flat=True):
        destroy(blob_name)  # idempotent: a blob already gone is fine
    count, _ = reports.delete()
    return {"reports": count}


register_purger("reports", purge_reports, order=10)


def _report_blobs() -> set[str]:
    names = set(Report.objects.exclude(blob_name="").values_list("blob_name", flat=True))
    return names | set(SealCertificate.objects.values_list("key_blob_name", flat=True))


register_blob_references(_report_blobs)
