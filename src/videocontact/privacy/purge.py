"""Retention that happens: the daily purge of visits whose term (RetentionClock) has passed.

Apps above privacy register what they hold of a visit with `register_purger` (in their own
`retention.py`, autodiscovered). A purger deletes one visit's data of its kind, blobs first, and
is idempotent: after a crash the next run simply runs it again. Only when every purger has run
is the clock marked purged, with one audit event that names counts, never personal data."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocontact.privacy.audit import audit
from videocontact.privacy.models import AuditChainHead, LegalHold, RetentionClock

log = structlog.get_logger("privacy")

Purger = Callable[[uuid.UUID], dict[str, int]]  # visit id -> what it deleted, by kind


@dataclass(frozen=True)
class _Registered:
    order: int
    purge: Purger


_purgers: dict[str, _Registered] = {}
_closers: list[Callable[[datetime], int]] = []
_sweepers: list[Callable[[datetime], int]] = []


def register_purger(name: str, purge: Purger, *, order: int = 50) -> None:
    """Lower orders run first: whatever refers to other data (reports to photos) goes first."""
    _purgers[name] = _Registered(order, purge)


def register_closer(close: Callable[[datetime], int]) -> None:
    """Runs before the purge: e.g. visits never ended (the caseworker closed the tab)."""
    if close not in _closers:
        _closers.append(close)


def register_sweeper(sweep: Callable[[datetime], int]) -> None:
    """Runs after the purge: e.g. encrypted blobs that no row names any more."""
    if sweep not in _sweepers:
        _sweepers.append(sweep)


def on_hold(visit_id: uuid.UUID) -> bool:
    return LegalHold.objects.filter(visit_id=visit_id, lifted_at__isnull=True).exists()


def due_visits(now: datetime) -> list[uuid.UUID]:
    held = LegalHold.objects.filter(lifted_at__isnull=True).values("visit_id")
    return list(
        RetentionClock.objects.filter(purge_after__lte=now, purged_at__isnull=True)
        .exclude(visit_id__in=held)
        .order_by("purge_after")
        .values_list("visit_id", flat=True)
    )


def purge_visit(visit_id: uuid.UUID, *, now: datetime) -> dict[str, int] | None:
    """Everything a visit holds, gone. None when a legal hold came in the meantime."""
    if on_hold(visit_id):
        return None
    counts: dict[str, int] = {}
    for name, registered in sorted(_purgers.items(), key=lambda item: item[1].order):
        for kind, count in registered.purge(visit_id).items():
            counts[f"{name}.{kind}"] = count
    with transaction.atomic():
        clock = RetentionClock.objects.select_for_update().get(visit_id=visit_id)
        if clock.purged_at is not None:
            return counts
        clock.purged_at = now
        clock.save(update_fields=["purged_at"])
        audit(action="retention.purged", obj=clock, visit_id=visit_id, counts=counts)
    return counts


def purge_due(*, now: datetime | None = None) -> dict[str, int]:
    """The daily job: close abandoned visits, then purge every visit that is due."""
    now = now or timezone.now()
    closed = sum(close(now) for close in _closers)
    purged = 0
    for visit_id in due_visits(now):
        if purge_visit(visit_id, now=now) is not None:
            purged += 1
    swept = sum(sweep(now) for sweep in _sweepers)
    log.info("retention.purge_run", closed=closed, purged=purged, orphans=swept)
    if swept:
        _audit_sweep(swept)
    return {"closed": closed, "purged": purged, "orphans": swept}


def _audit_sweep(count: int) -> None:
    head = AuditChainHead.objects.get_or_create(pk=1)[0]
    audit(action="retention.orphans_deleted", obj=head, count=count)


def abandoned_before(now: datetime) -> datetime:
    return now - timedelta(hours=settings.VISIT_AUTO_END_HOURS)
