"""Storage is off until the privacy officer (FG) approves it, per process.

`storage_approve` records a new version (audited `storage.approved`); the feature apps that
store something (evidence: photos, reports: the report, questionnaires: internal notes,
language: the caption transcript) ask `storage_allowed` / `storage_require` before they store.
No approval, or a version that leaves a kind out, means: not stored."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext, gettext_lazy

from videocontact.accounts.models import Process, Role
from videocontact.core.errors import ServiceError
from videocontact.privacy.audit import audit
from videocontact.privacy.models import StorageApproval, StorageKind

REFUSED = {
    StorageKind.PHOTOS: gettext_lazy(
        "Photos are not stored for this process: the privacy officer has not approved it."
    ),
    StorageKind.REPORT: gettext_lazy(
        "No report is stored for this process: the privacy officer has not approved it."
    ),
    StorageKind.NOTES: gettext_lazy(
        "Internal notes are not stored for this process: the privacy officer has not approved it."
    ),
    StorageKind.TRANSCRIPT: gettext_lazy(
        "No transcript is kept for this process: the privacy officer has not approved it."
    ),
}
MAX_RETENTION_DAYS = 3650


class StorageNotApproved(ServiceError):
    code = "storage_not_approved"
    status = 403

    def __init__(self, kind: str) -> None:
        super().__init__(str(REFUSED[StorageKind(kind)]))
        self.kind = kind


class NotAllowedToApprove(ServiceError):
    code = "forbidden"
    status = 403


# Read side -----------------------------------------------------------------------------------


def current_approval(process_id: int) -> StorageApproval | None:
    """The newest version for the process, or None (nothing approved yet)."""
    return StorageApproval.objects.filter(process_id=process_id).order_by("-version").first()


def storage_allowed(process_id: int, kind: str) -> bool:
    approval = current_approval(process_id)
    return approval is not None and approval.allows(kind)


def storage_require(process_id: int, kind: str) -> None:
    """Raise StorageNotApproved (a ServiceError: an `error` frame, a 403 with the message)."""
    if not storage_allowed(process_id, kind):
        raise StorageNotApproved(kind)


def approved_retention_days(process: Process) -> int:
    """The retention term a clock gets: the process's own, capped by the approved longest."""
    approval = current_approval(process.pk)
    if approval is None:
        return process.retention_days
    return min(process.retention_days, approval.retention_days)


def approval_history(process_id: int) -> list[StorageApproval]:
    return list(
        StorageApproval.objects.filter(process_id=process_id)
        .select_related("approved_by")
        .order_by("-version")
    )


# Write side ----------------------------------------------------------------------------------


def may_approve(user: Any, process: Process) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.memberships.filter(
            role=Role.PRIVACY_OFFICER, unit__organisation_id=process.unit.organisation_id
        ).exists()
    )


@transaction.atomic
def storage_approve(
    *,
    process: Process,
    by_user: Any,
    photos: bool,
    report: bool,
    notes: bool,
    transcript: bool,
    retention_days: int,
    note: str = "",
    check_role: bool = True,
) -> StorageApproval:
    """A new version of what the process may store. Only a privacy officer of the process's
    organisation (`check_role=False` for the demo and operators' commands)."""
    if check_role and not may_approve(by_user, process):
        raise NotAllowedToApprove(gettext("Only the privacy officer approves what is stored."))
    if not 1 <= retention_days <= MAX_RETENTION_DAYS:
        raise ServiceError(
            gettext("Choose a retention between 1 and %(max)s days.") % {"max": MAX_RETENTION_DAYS}
        )
    Process.objects.select_for_update().filter(pk=process.pk).first()  # versions one at a time
    latest = StorageApproval.objects.filter(process=process).aggregate(n=Max("version"))["n"]
    approval = StorageApproval.objects.create(
        process=process,
        version=(latest or 0) + 1,
        photos=photos,
        report=report,
        notes=notes,
        transcript=transcript,
        retention_days=retention_days,
        note=note[:300],
        approved_by=by_user if getattr(by_user, "is_authenticated", False) else None,
    )
    audit(
        action="storage.approved",
        obj=approval,
        actor_user=by_user,
        process=process.pk,
        version=approval.version,
        kinds=[kind.value for kind in StorageKind if approval.allows(kind)],
        retention_days=retention_days,
    )
    return approval
