"""The business case: what the video visits actually held saved compared with a home visit.

Per held visit, with the assumptions of its process (or the defaults):
- staff minutes saved = staff on a home visit x (travel + visit minutes)
  - staff in the video call x the call's real duration;
- km saved = km per visit; CO₂ saved = km x grams per km;
- cost saved = staff minutes saved / 60 x cost per staff hour + km x cost per km.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from videocontact.accounts.models import Process
from videocontact.insights.models import BusinessCase
from videocontact.insights.selectors.activity import VisitFacts


@dataclass
class Savings:
    label: str
    visits: int = 0
    minutes: float = 0.0
    km: Decimal = Decimal(0)
    euros: Decimal = Decimal(0)
    co2_kg: Decimal = Decimal(0)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def assumptions_for(processes: list[Process]) -> dict[int, BusinessCase]:
    """The saved assumptions of each process, or unsaved defaults."""
    saved = {c.process_id: c for c in BusinessCase.objects.filter(process__in=processes)}
    return {p.pk: saved.get(p.pk) or BusinessCase(process=p) for p in processes}


def saving_of(fact: VisitFacts, case: BusinessCase) -> tuple[float, Decimal, Decimal, Decimal]:
    physical = case.staff_count * (case.travel_minutes + case.visit_minutes)
    minutes = physical - fact.staff_in_call * (fact.minutes or 0)
    km = Decimal(case.km_per_visit)
    euros = Decimal(str(round(minutes, 4))) / 60 * case.cost_per_staff_hour + km * case.cost_per_km
    co2 = km * case.co2_grams_per_km / 1000
    return minutes, km, euros, co2


def savings(
    facts: list[VisitFacts], cases: dict[int, BusinessCase], unit_labels: dict[int, str]
) -> tuple[list[Savings], Savings]:
    rows = {uid: Savings(label) for uid, label in unit_labels.items()}
    total = Savings("")
    for fact in facts:
        if not fact.held or fact.process_id not in cases:
            continue
        minutes, km, euros, co2 = saving_of(fact, cases[fact.process_id])
        for bucket in (rows[fact.unit_id], total):
            bucket.visits += 1
            bucket.minutes += minutes
            bucket.km += km
            bucket.euros += euros
            bucket.co2_kg += co2
    for bucket in [*rows.values(), total]:
        bucket.km = bucket.km.quantize(Decimal("1"))
        bucket.euros = bucket.euros.quantize(Decimal("1"))
        bucket.co2_kg = bucket.co2_kg.quantize(Decimal("0.1"))
    return list(rows.values()), total
