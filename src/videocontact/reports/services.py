"""Write side of reports. The build itself (PDF, seal) comes with issue 5's report work."""

from __future__ import annotations

from videocontact.accounts.models import User
from videocontact.evidence import vault
from videocontact.privacy.services import audit
from videocontact.reports.models import Report


def report_read(*, report: Report, by_user: User | None, purpose: str) -> bytes:
    """The sealed PDF's bytes. Every read is audited with its purpose (download, export, …)."""
    data = vault.unseal(report.blob_name, report.key_id)
    audit(
        action="report.read",
        obj=report,
        actor_user=by_user,
        visit_id=report.visit_id,
        purpose=purpose,
    )
    return data
