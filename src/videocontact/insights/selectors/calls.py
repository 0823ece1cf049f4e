"""Call quality per visit from the participants' summaries, the visits with problems, and how
that compares with what the caseworkers reported."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from videocontact.insights.models import QualitySummary, TechAnswer, TechCheck
from videocontact.insights.quality import THRESHOLDS, participant_score
from videocontact.insights.selectors.activity import VisitFacts


def _avg(total: float, n: int) -> float | None:
    return round(total / n, 1) if n else None


@dataclass(frozen=True)
class ParticipantQuality:
    role: str
    samples: int
    rtt_ms: float | None
    jitter_ms: float | None
    loss_pct: float | None
    bitrate_kbps: float | None
    fps: float | None
    relay_percent: int
    ice_restarts: int
    reconnects: int
    resolution: str

    @property
    def score(self) -> int:
        return participant_score(
            rtt_avg=self.rtt_ms,
            jitter_avg=self.jitter_ms,
            loss_avg=self.loss_pct,
            fps_avg=self.fps,
            ice_restarts=self.ice_restarts,
            reconnects=self.reconnects,
        )


def participant_quality(summary: QualitySummary, role: str) -> ParticipantQuality:
    s = summary
    return ParticipantQuality(
        role=role,
        samples=s.samples,
        rtt_ms=_avg(s.rtt_sum_ms, s.rtt_samples),
        jitter_ms=_avg(s.jitter_sum_ms, s.jitter_samples),
        loss_pct=_avg(s.loss_sum_pct, s.loss_samples),
        bitrate_kbps=_avg(s.bitrate_sum_kbps, s.bitrate_samples),
        fps=_avg(s.fps_sum, s.fps_samples),
        relay_percent=round(100 * s.relay_samples / s.samples) if s.samples else 0,
        ice_restarts=s.ice_restarts,
        reconnects=s.reconnects,
        resolution=f"{s.max_width}x{s.max_height}" if s.max_width else "",
    )


@dataclass(frozen=True)
class VisitQuality:
    fact: VisitFacts
    participants: tuple[ParticipantQuality, ...]
    reported: str  # "" no answer; else the worst TechAnswer label, with the category
    reported_problem: bool

    @property
    def score(self) -> int | None:
        """The worst participant's score: a call is as good as its weakest link."""
        return min((p.score for p in self.participants), default=None)

    @property
    def measured_problem(self) -> bool:
        return self.score is not None and self.score < THRESHOLDS.problem_score

    @property
    def problem(self) -> bool:
        return self.measured_problem or self.reported_problem


@dataclass(frozen=True)
class Agreement:
    """Visits with both a measurement and a caseworker's answer, cross-tabulated."""

    both: int
    measured_only: int
    reported_only: int
    neither: int
    unmeasured: int
    unreported: int


def visit_quality(facts: list[VisitFacts]) -> list[VisitQuality]:
    held = [f for f in facts if f.started_at is not None]
    ids = [f.id for f in held]
    by_visit: dict[str, list[ParticipantQuality]] = defaultdict(list)
    for s in QualitySummary.objects.filter(visit_id__in=ids).select_related("participant"):
        by_visit[str(s.visit_id)].append(participant_quality(s, s.participant.role))
    checks: dict[str, list[TechCheck]] = defaultdict(list)
    for c in TechCheck.objects.filter(visit_id__in=ids):
        checks[str(c.visit_id)].append(c)
    result = []
    for fact in held:
        answers = sorted(checks[fact.id], key=lambda c: c.answer)
        worst = answers[0] if answers else None
        reported = ""
        if worst is not None:
            reported = str(worst.get_answer_display())
            if worst.problem:
                reported += f" · {worst.get_problem_display()}"
        result.append(
            VisitQuality(
                fact=fact,
                participants=tuple(sorted(by_visit[fact.id], key=lambda p: p.role)),
                reported=reported,
                reported_problem=worst is not None and worst.answer != TechAnswer.YES,
            )
        )
    return result


def agreement(rows: list[VisitQuality]) -> Agreement:
    measured = [r for r in rows if r.score is not None]
    answered = [r for r in measured if r.reported]
    return Agreement(
        both=sum(r.measured_problem and r.reported_problem for r in answered),
        measured_only=sum(r.measured_problem and not r.reported_problem for r in answered),
        reported_only=sum(r.reported_problem and not r.measured_problem for r in answered),
        neither=sum(not r.measured_problem and not r.reported_problem for r in answered),
        unmeasured=sum(r.score is None for r in rows),
        unreported=len(measured) - len(answered),
    )
