"""Writes of the insights app: ratings, the caseworker's quick question, call-quality reports,
sign-ins and the business-case assumptions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from videocontact.accounts.models import Process, User
from videocontact.insights.errors import AlreadyRated, NotAllowed
from videocontact.insights.models import (
    BusinessCase,
    LoginEvent,
    ProblemCategory,
    QualitySummary,
    Rating,
    TechAnswer,
    TechCheck,
)
from videocontact.insights.quality import MAX_SAMPLES, StatsReport
from videocontact.privacy.audit import audit
from videocontact.visits.models import Participant, ParticipantState, Visit, VisitStatus


def participant_may_rate(participant: Participant) -> bool:
    """Residents and guests who were in the call (staff answer the technology question)."""
    return (
        participant.user_id is None
        and participant.removed_at is None
        and participant.admitted_at is not None
        and participant.state != ParticipantState.DECLINED
    )


@transaction.atomic
def rating_submit(
    *,
    participant: Participant,
    ease: int | None,
    appreciation: int | None,
    comment: str,
    language: str,
) -> Rating:
    """One rating per participant per visit; a second one is refused, not merged."""
    if not participant_may_rate(participant):
        raise NotAllowed("only a resident or guest who was in the call can rate it")
    if Rating.objects.filter(participant=participant).exists():
        raise AlreadyRated("this participant has rated the conversation already")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                visit_id=participant.visit_id,
                participant=participant,
                role=participant.role,
                language=language[:8],
                ease=ease,
                appreciation=appreciation,
                comment=comment,
            )
    except IntegrityError:  # a double click racing itself
        raise AlreadyRated("this participant has rated the conversation already") from None
    return rating


@transaction.atomic
def tech_check_submit(*, visit: Visit, user: User, answer: int, problem: str) -> TechCheck:
    """The caseworker's answer; answering again replaces their earlier answer."""
    if visit.started_at is None:
        raise NotAllowed("the call of this visit has not started")
    if answer not in TechAnswer.values or problem not in ProblemCategory.values:
        raise NotAllowed("unknown answer")
    if answer == TechAnswer.YES:
        problem = ""
    check, _ = TechCheck.objects.update_or_create(
        visit=visit, user=user, defaults={"answer": answer, "problem": problem}
    )
    return check


def _add(summary: QualitySummary, prefix: str, unit: str, value: float | None) -> None:
    """Count, sum and (when the model has it) maximum of one measure, e.g. rtt_sum_ms."""
    if value is None:
        return
    setattr(summary, f"{prefix}_samples", getattr(summary, f"{prefix}_samples") + 1)
    total = f"{prefix}_sum{unit}"
    setattr(summary, total, getattr(summary, total) + value)
    highest = f"{prefix}_max{unit}"
    if hasattr(summary, highest):
        setattr(summary, highest, max(getattr(summary, highest), value))


@transaction.atomic
def quality_ingest(
    *, participant_id: uuid.UUID, report: StatsReport, now: datetime | None = None
) -> QualitySummary | None:
    """Add one validated report to the participant's summary of this visit. Reports of an
    ended visit, or beyond MAX_SAMPLES, are dropped (None)."""
    now = now or timezone.now()
    participant = Participant.objects.select_related("visit").filter(pk=participant_id).first()
    if participant is None or participant.visit.status != VisitStatus.ACTIVE:
        return None
    summary, _ = QualitySummary.objects.select_for_update().get_or_create(
        participant=participant, defaults={"visit_id": participant.visit_id, "first_at": now}
    )
    if summary.samples >= MAX_SAMPLES:
        return None
    summary.samples += 1
    _add(summary, "rtt", "_ms", report.rttMs)
    _add(summary, "jitter", "_ms", report.jitterMs)
    _add(summary, "loss", "_pct", report.lossPct)
    _add(summary, "bitrate", "_kbps", report.bitrateKbps)
    if report.fps is not None:
        summary.fps_samples += 1
        summary.fps_sum += report.fps
        summary.fps_min = (
            report.fps if summary.fps_min is None else min(summary.fps_min, report.fps)
        )
    summary.max_width = max(summary.max_width, report.width or 0)
    summary.max_height = max(summary.max_height, report.height or 0)
    if report.relay:
        summary.relay_samples += 1
    # The browser counts restarts and reconnects since the page loaded: keep the highest.
    summary.ice_restarts = max(summary.ice_restarts, report.iceRestarts)
    summary.reconnects = max(summary.reconnects, report.reconnects)
    summary.last_at = now
    summary.save()
    return summary


def login_record(*, user: User, at: datetime | None = None) -> LoginEvent:
    return LoginEvent.objects.create(user=user, at=at or timezone.now())


BUSINESS_FIELDS = (
    "travel_minutes",
    "visit_minutes",
    "staff_count",
    "km_per_visit",
    "cost_per_km",
    "cost_per_staff_hour",
    "co2_grams_per_km",
)


@transaction.atomic
def business_case_save(*, process: Process, by_user: User, values: dict[str, Any]) -> BusinessCase:
    """Save the assumptions of one process (validated by the form), audited."""
    case, _ = BusinessCase.objects.get_or_create(process=process)
    for name in BUSINESS_FIELDS:
        setattr(case, name, values[name])
    case.updated_by = by_user
    case.full_clean()
    case.save()
    audit(
        action="insights.business_case_changed",
        obj=case,
        actor_user=by_user,
        process=process.code,
        **{name: str(values[name]) for name in BUSINESS_FIELDS},  # type: ignore[arg-type]
    )
    return case
