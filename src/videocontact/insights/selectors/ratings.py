"""The residents' and guests' ratings: per unit, counts on each point of both questions."""

from __future__ import annotations

from dataclasses import dataclass, field

from videocontact.insights.models import Rating, Score
from videocontact.insights.selectors.scope import Period, Scope


@dataclass
class RatingSummary:
    label: str
    count: int = 0
    ease: dict[int, int] = field(default_factory=lambda: {s: 0 for s in Score.values})
    appreciation: dict[int, int] = field(default_factory=lambda: {s: 0 for s in Score.values})

    def add(self, rating: Rating) -> None:
        self.count += 1
        if rating.ease:
            self.ease[rating.ease] += 1
        if rating.appreciation:
            self.appreciation[rating.appreciation] += 1

    @staticmethod
    def _good_percent(counts: dict[int, int]) -> int | None:
        answered = sum(counts.values())
        return round(100 * counts[Score.GOOD] / answered) if answered else None

    @property
    def ease_good_percent(self) -> int | None:
        return self._good_percent(self.ease)

    @property
    def appreciation_good_percent(self) -> int | None:
        return self._good_percent(self.appreciation)


def ratings_in(scope: Scope, period: Period) -> list[Rating]:
    """Ratings given in the period on visits of the scope (newest first)."""
    return list(
        Rating.objects.filter(
            visit__process__unit__in=scope.unit_ids,
            created_at__gte=period.start,
            created_at__lt=period.end,
        ).select_related("visit__process")
    )


def rating_summary(
    ratings: list[Rating], unit_labels: dict[int, str]
) -> tuple[list[RatingSummary], RatingSummary]:
    rows = {uid: RatingSummary(label) for uid, label in unit_labels.items()}
    total = RatingSummary("")
    for rating in ratings:
        rows[rating.visit.process.unit_id].add(rating)
        total.add(rating)
    return list(rows.values()), total
