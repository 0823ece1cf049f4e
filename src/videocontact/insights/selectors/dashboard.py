"""Everything the dashboard and its exports show, for one scope and period."""

from __future__ import annotations

from dataclasses import dataclass

from videocontact.accounts.models import Process
from videocontact.insights.models import BusinessCase, Rating
from videocontact.insights.selectors.activity import (
    Activity,
    activity_by_process,
    held_per_process_week,
    visit_facts,
)
from videocontact.insights.selectors.adoption import Adoption, adoption, adoption_trend
from videocontact.insights.selectors.calls import Agreement, VisitQuality, agreement, visit_quality
from videocontact.insights.selectors.money import Savings, assumptions_for, savings
from videocontact.insights.selectors.ratings import RatingSummary, rating_summary, ratings_in
from videocontact.insights.selectors.scope import Period, Scope

COMMENTS_SHOWN = 20


@dataclass
class Dashboard:
    scope: Scope
    period: Period
    adoption: list[Adoption]
    adoption_total: Adoption
    trend: list[tuple[str, Adoption]]
    activity: list[Activity]
    activity_total: Activity
    week_labels: list[str]
    held_per_week: list[tuple[str, list[int]]]
    quality: list[VisitQuality]
    agreement: Agreement
    savings: list[Savings]
    savings_total: Savings
    assumptions: list[tuple[Process, BusinessCase]]
    ratings: list[RatingSummary]
    ratings_total: RatingSummary
    comments: list[Rating]

    @property
    def problem_visits(self) -> list[VisitQuality]:
        return [q for q in self.quality if q.problem]

    @property
    def measured_visits(self) -> int:
        return sum(q.score is not None for q in self.quality)


def dashboard(scope: Scope, period: Period) -> Dashboard:
    unit_labels = {u.pk: str(u) for u in scope.units}
    facts = visit_facts(scope, period)
    per_unit, total = adoption(scope, period)
    activity, activity_total = activity_by_process(facts)
    week_labels, per_week = held_per_process_week(facts, period)
    quality = visit_quality(facts)
    processes = list(
        Process.objects.filter(unit__in=scope.unit_ids)
        .select_related("unit")
        .order_by("unit__department", "unit__name", "name")
    )
    cases = assumptions_for(processes)
    money, money_total = savings(facts, cases, unit_labels)
    ratings = ratings_in(scope, period)
    rating_rows, rating_total = rating_summary(ratings, unit_labels)
    return Dashboard(
        scope=scope,
        period=period,
        adoption=per_unit,
        adoption_total=total,
        trend=adoption_trend(scope, period),
        activity=activity,
        activity_total=activity_total,
        week_labels=week_labels,
        held_per_week=per_week,
        quality=quality,
        agreement=agreement(quality),
        savings=money,
        savings_total=money_total,
        assumptions=[(p, cases[p.pk]) for p in processes],
        ratings=rating_rows,
        ratings_total=rating_total,
        comments=[r for r in ratings if r.comment][:COMMENTS_SHOWN],
    )
