"""Statistics: visits per state and the ratings per unit (counts only)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests import factories
from tests.api.conftest import Caller
from videocontact.accounts.models import Process, User
from videocontact.insights.models import Rating
from videocontact.visits import services as visits

pytestmark = pytest.mark.django_db


def test_visit_counts_and_ratings(
    make_caller, process: Process, caseworker: User, outsider: User
) -> None:
    caller: Caller = make_caller(scopes=["statistics:read"])
    visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    other, _ = factories.make_visit(process=process, caseworker=caseworker)
    visits.visit_cancel(visit=other, by_user=caseworker)
    foreign_process = outsider.memberships.get().unit.processes.get()
    foreign, _ = factories.make_visit(process=foreign_process, caseworker=outsider)
    counts = caller.get("/api/v1/statistics/visits").json()
    assert sorted((r["state"], r["count"]) for r in counts) == [("cancelled", 1), ("planned", 1)]

    resident = factories.resident_of(visit)
    Rating.objects.create(
        visit=visit, participant=resident, role="resident", language="nl", ease=3, appreciation=2
    )
    Rating.objects.create(
        visit=foreign,
        participant=factories.resident_of(foreign),
        role="resident",
        language="nl",
        ease=1,
    )
    today = timezone.localdate().isoformat()
    body = caller.get(f"/api/v1/statistics/ratings?date_from={today}&date_to={today}").json()
    assert body["total"]["count"] == 1
    assert body["total"]["ease"] == {"1": 0, "2": 0, "3": 1}
    assert body["total"]["appreciation_good_percent"] == 0
    assert [u["unit"] for u in body["units"]] == [process.unit_id]
    assert "comment" not in str(body)
    for bad in (
        "date_from=0001-01-01",
        "date_to=9999-12-31",
        "date_from=2026-02-01&date_to=2026-01-01",
    ):
        response = caller.get(f"/api/v1/statistics/ratings?{bad}")
        assert response.status_code == 400, bad
        assert response.json()["code"] == "invalid"
