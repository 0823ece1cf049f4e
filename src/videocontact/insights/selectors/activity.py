"""Visits per process: how many, how long, and how many reached the call.

A visit belongs to the period by its date: when the call started, else when it was planned
for, else when it was created. Per visit:
- held: the resident reached the call (was admitted);
- no-show: the visit ended without the resident in the call, and they had not declined;
- declined: the resident declined consent;
- cancelled: cancelled before the resident reached the call (and not declined);
- technical failure: a caseworker answered "No, it did not work" to the quick question.
Reached share = held / (held + no-shows + declined): of the visits where the resident was
expected in the call. Average duration: from the start of the call to its end, held visits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from videocontact.insights.models import TechAnswer, TechCheck
from videocontact.insights.selectors.scope import Period, Scope
from videocontact.visits.models import (
    Participant,
    ParticipantRole,
    ParticipantState,
    Visit,
    VisitStatus,
)


@dataclass
class VisitFacts:
    """What the dashboards need to know about one visit."""

    id: str
    process_id: int
    process: str
    unit_id: int
    date: datetime
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    held: bool
    declined: bool
    staff_in_call: int
    tech_failure: bool

    @property
    def no_show(self) -> bool:
        return self.status == VisitStatus.ENDED and not self.held and not self.declined

    @property
    def cancelled(self) -> bool:
        return self.status == VisitStatus.CANCELLED and not self.held and not self.declined

    @property
    def minutes(self) -> float | None:
        if not self.held or self.started_at is None or self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds() / 60


def visits_in(scope: Scope, period: Period) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(process__unit__in=scope.unit_ids)
        .annotate(day=Coalesce("started_at", "scheduled_at", "created_at"))
        .filter(day__gte=period.start, day__lt=period.end)
    )


def visit_facts(scope: Scope, period: Period) -> list[VisitFacts]:
    visits = list(visits_in(scope, period).select_related("process").order_by("day"))  # type: ignore[misc]
    ids = [v.pk for v in visits]
    residents = {
        p.visit_id: p
        for p in Participant.objects.filter(visit_id__in=ids, role=ParticipantRole.RESIDENT)
    }
    staff: dict[object, int] = defaultdict(int)
    for visit_id in Participant.objects.filter(
        visit_id__in=ids, user__isnull=False, admitted_at__isnull=False
    ).values_list("visit_id", flat=True):
        staff[visit_id] += 1
    failed = set(
        TechCheck.objects.filter(visit_id__in=ids, answer=TechAnswer.NO).values_list(
            "visit_id", flat=True
        )
    )
    facts = []
    for v in visits:
        resident = residents.get(v.pk)
        facts.append(
            VisitFacts(
                id=str(v.pk),
                process_id=v.process_id,
                process=v.process.name,
                unit_id=v.process.unit_id,
                date=v.day,  # type: ignore[attr-defined]
                status=v.status,
                started_at=v.started_at,
                ended_at=v.ended_at,
                held=resident is not None and resident.admitted_at is not None,
                declined=resident is not None and resident.state == ParticipantState.DECLINED,
                staff_in_call=max(1, staff[v.pk]),
                tech_failure=v.pk in failed,
            )
        )
    return facts


@dataclass
class Activity:
    label: str
    visits: int = 0
    held: int = 0
    no_shows: int = 0
    declined: int = 0
    cancelled: int = 0
    tech_failures: int = 0
    minutes: list[float] = field(default_factory=list)

    def add(self, fact: VisitFacts) -> None:
        self.visits += 1
        self.held += fact.held
        self.no_shows += fact.no_show
        self.declined += fact.declined
        self.cancelled += fact.cancelled
        self.tech_failures += fact.tech_failure
        if fact.minutes is not None:
            self.minutes.append(fact.minutes)

    @property
    def average_minutes(self) -> float | None:
        return round(sum(self.minutes) / len(self.minutes), 1) if self.minutes else None

    @property
    def reached_percent(self) -> int | None:
        expected = self.held + self.no_shows + self.declined
        return round(100 * self.held / expected) if expected else None


def activity_by_process(facts: list[VisitFacts]) -> tuple[list[Activity], Activity]:
    rows: dict[int, Activity] = {}
    total = Activity("")
    for fact in facts:
        rows.setdefault(fact.process_id, Activity(fact.process)).add(fact)
        total.add(fact)
    return sorted(rows.values(), key=lambda a: a.label), total


def held_per_process_week(
    facts: list[VisitFacts], period: Period
) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Week labels, and per process the number of held visits in each week."""
    weeks = period.weeks()
    labels = [w.week_label for w in weeks]
    counts: dict[str, list[int]] = {}
    for fact in facts:
        row = counts.setdefault(fact.process, [0] * len(weeks))
        if not fact.held:
            continue
        day = timezone.localtime(fact.date).date()
        for i, week in enumerate(weeks):
            if week.first <= day <= week.last:
                row[i] += 1
    return labels, sorted(counts.items())
