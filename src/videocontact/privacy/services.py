from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import Role
from videocontact.privacy.approvals import approved_retention_days
from videocontact.privacy.audit import audit
from videocontact.privacy.models import LegalHold, RetentionClock


class Visit(Protocol):
    """What privacy needs of a visit. Privacy sits below visits, so it names no visits model (not
    even for type checking); the visit model is reached through RetentionClock's relation."""

    pk: Any
    id: Any
    process: Any


@transaction.atomic
def retention_start(*, visit: Visit, started_at: datetime, reason: str) -> RetentionClock:
    """Start the retention clock of a visit: purge after `started_at + process.retention_days`.

    Idempotent: a clock that already runs is returned unchanged (a second export, a report built
    again or a retried job never extends nor restarts it)."""
    visit_model = RetentionClock._meta.get_field("visit").related_model
    visit_model._default_manager.select_for_update().filter(pk=visit.pk).first()
    clock = RetentionClock.objects.filter(visit_id=visit.pk).first()
    if clock is not None:
        return clock
    days = approved_retention_days(visit.process)  # the privacy officer's approval caps it
    clock = RetentionClock.objects.create(
        visit_id=visit.pk,
        started_at=started_at,
        purge_after=started_at + timedelta(days=days),
        reason=reason,
    )
    audit(
        action="retention.started",
        obj=clock,
        visit_id=visit.id,
        reason=reason,
        retention_days=days,
        purge_after=clock.purge_after.isoformat(),
    )
    return clock


class NotPrivacyOfficer(Exception):
    code = "forbidden"


def _is_privacy_officer(user: Any, visit: Visit) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.memberships.filter(
            role=Role.PRIVACY_OFFICER, unit__organisation_id=visit.process.unit.organisation_id
        ).exists()
    )


@transaction.atomic
def legal_hold_set(*, visit: Visit, reason: str, by_user: Any) -> LegalHold:
    """Keep a visit's data past its term. Only a privacy officer of its organisation."""
    if not _is_privacy_officer(by_user, visit):
        raise NotPrivacyOfficer("only the privacy officer sets a legal hold")
    hold = LegalHold.objects.create(visit_id=visit.pk, reason=reason[:300], set_by=by_user)
    audit(action="legal_hold.set", obj=hold, actor_user=by_user, visit_id=visit.id)
    return hold


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, by_user: Any) -> LegalHold:
    if not _is_privacy_officer(by_user, hold.visit):
        raise NotPrivacyOfficer("only the privacy officer lifts a legal hold")
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is None:
        hold.lifted_at = timezone.now()
        hold.lifted_by = by_user
        hold.save(update_fields=["lifted_at", "lifted_by"])
        audit(action="legal_hold.lifted", obj=hold, actor_user=by_user, visit_id=hold.visit_id)
    return hold
