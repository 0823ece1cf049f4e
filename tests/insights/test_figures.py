"""Every figure of the dashboard, computed by hand from a small known situation and compared
with what the selectors, the page and the exports show."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests import factories
from tests.insights.data import at, visit
from videocontact.accounts.models import Process, Role, Unit, User
from videocontact.insights import services
from videocontact.insights.models import BusinessCase, Rating, TechCheck
from videocontact.insights.quality import parse_report
from videocontact.insights.selectors.dashboard import Dashboard, dashboard
from videocontact.insights.selectors.scope import Period, scope_for
from videocontact.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db

PERIOD = Period(at("2026-03-02").date(), at("2026-03-15").date())
QUERY = {"first": "2026-03-02", "last": "2026-03-15"}


def _stats(visit_obj: Visit, **values: float) -> None:
    """Reports as the browsers would send them during the call."""
    Visit.objects.filter(pk=visit_obj.pk).update(status=VisitStatus.ACTIVE)
    for participant in visit_obj.participants.filter(admitted_at__isnull=False):
        for _ in range(3):
            services.quality_ingest(
                participant_id=participant.id, report=parse_report({"type": "stats", **values})
            )
    Visit.objects.filter(pk=visit_obj.pk).update(status=VisitStatus.ENDED)


@pytest.fixture
def lead(unit: Unit) -> User:
    return factories.make_user(unit=unit, role=Role.TEAM_LEAD, username="teamleider")


@pytest.fixture
def situation(process: Process, caseworker: User, colleague: User) -> dict[str, Visit]:
    v1 = visit(process, caseworker, when=at("2026-03-03"), minutes=30)
    v2 = visit(process, caseworker, when=at("2026-03-10"), minutes=50, extra_staff=[colleague])
    v3 = visit(process, caseworker, when=at("2026-03-04"), outcome="no_show", minutes=10)
    v4 = visit(process, caseworker, when=at("2026-03-05"), outcome="declined")
    v5 = visit(process, caseworker, when=at("2026-03-11"), outcome="cancelled")
    outside = visit(process, caseworker, when=at("2026-04-20"), minutes=99)
    _stats(v1, rttMs=40, jitterMs=5, lossPct=0, fps=30)
    _stats(v2, rttMs=80, jitterMs=10, lossPct=10, fps=9, relay=True)
    _stats(outside, rttMs=2000, lossPct=50)
    TechCheck.objects.create(visit=v1, user=caseworker, answer=3)
    TechCheck.objects.create(visit=v2, user=caseworker, answer=1, problem="dropped")
    for v, ease, appreciation, comment in [(v1, 3, 3, ""), (v2, 1, 2, "=HYPERLINK(1)")]:
        Rating.objects.create(
            visit=v,
            participant=factories.resident_of(v),
            role="resident",
            language="nl",
            ease=ease,
            appreciation=appreciation,
            comment=comment,
            created_at=v.started_at,
        )
    return {"v1": v1, "v2": v2, "v3": v3, "v4": v4, "v5": v5}


def _board(lead: User) -> Dashboard:
    scope = scope_for(lead)
    assert scope is not None
    return dashboard(scope, PERIOD)


def test_visit_figures(lead: User, situation: dict[str, Visit]) -> None:
    a = _board(lead).activity_total
    # 5 visits in the period (the April one is outside); v1, v2 held; v3 no-show; v4 declined;
    # v5 cancelled; v2 a technical failure; durations 30 and 50 minutes.
    assert (a.visits, a.held, a.no_shows, a.declined, a.cancelled) == (5, 2, 1, 1, 1)
    assert a.tech_failures == 1
    assert a.average_minutes == 40.0
    assert a.reached_percent == 50  # 2 held of 2 + 1 no-show + 1 declined


def test_visits_per_week(lead: User, situation: dict[str, Visit]) -> None:
    board = _board(lead)
    assert board.week_labels == ["2026-W10", "2026-W11"]
    assert board.held_per_week == [("Aanvraag bijstand", [1, 1])]


def test_quality_figures(lead: User, situation: dict[str, Visit]) -> None:
    board = _board(lead)
    by_id = {q.fact.id: q for q in board.quality}
    assert by_id[str(situation["v1"].id)].score == 100
    # v2: loss 10 % -> (10 - 2) x 3 = 24 off; 9 fps -> (15 - 9) x 1.5 = 9 off: 67.
    v2 = by_id[str(situation["v2"].id)]
    assert v2.score == 67
    assert {p.role for p in v2.participants} == {"caseworker", "colleague", "resident"}
    assert all(p.relay_percent == 100 and p.samples == 3 for p in v2.participants)
    assert by_id[str(situation["v3"].id)].score is None  # the no-show: the caseworker alone
    assert [q.fact.id for q in board.problem_visits] == [str(situation["v2"].id)]
    g = board.agreement
    assert (g.both, g.measured_only, g.reported_only, g.neither) == (1, 0, 0, 1)
    assert (g.unmeasured, g.unreported) == (1, 0)


def test_savings_with_defaults_and_edited_assumptions(
    lead: User, process: Process, situation: dict[str, Visit]
) -> None:
    s = _board(lead).savings_total
    # Defaults: 2 staff x (40 + 45) = 170 minutes per home visit.
    # v1: 170 - 1 x 30 = 140; v2: 170 - 2 x 50 = 70 -> 210 minutes = 3.5 hours.
    # Km 2 x 20 = 40; cost 210 / 60 x 65 + 40 x 0.23 = 236.70 -> 237; CO2 40 x 150 g = 6.0 kg.
    assert (s.visits, s.hours, s.km, s.euros, s.co2_kg) == (
        2,
        3.5,
        Decimal(40),
        Decimal(237),
        Decimal("6.0"),
    )
    BusinessCase.objects.create(
        process=process,
        travel_minutes=60,
        visit_minutes=60,
        staff_count=1,
        km_per_visit=Decimal("10"),
        cost_per_km=Decimal("0.50"),
        cost_per_staff_hour=Decimal("60"),
        co2_grams_per_km=200,
    )
    s = _board(lead).savings_total
    # 1 x 120 = 120 per home visit: v1 120 - 30 = 90; v2 120 - 100 = 20 -> 110 min = 1.8 h.
    # Cost 110 / 60 x 60 + 20 x 0.50 = 120; CO2 20 x 200 g = 4.0 kg.
    assert (s.hours, s.km, s.euros, s.co2_kg) == (1.8, Decimal(20), Decimal(120), Decimal("4.0"))


def test_rating_figures(lead: User, situation: dict[str, Visit]) -> None:
    r = _board(lead).ratings_total
    assert r.count == 2
    assert r.ease == {1: 1, 2: 0, 3: 1} and r.appreciation == {1: 0, 2: 1, 3: 1}
    assert (r.ease_good_percent, r.appreciation_good_percent) == (50, 50)


def test_the_page_and_the_exports_show_the_same(
    lead: User, situation: dict[str, Visit], client: Client
) -> None:
    client.force_login(lead)
    html = client.get("/staff/insights/", QUERY).content.decode()
    assert (
        "<td>5</td><td>2</td><td>50 %</td><td>1</td><td>1</td><td>1</td><td>1</td><td>40,0 min</td>"
        in html
    )
    assert "<td>2</td><td>3,5</td><td>40</td><td>237</td><td>6,0</td>" in html
    assert "1 / 0 / 1" in html and "=HYPERLINK(1)" in html
    assert html.count('role="img"') == 3 and html.count("<svg") >= 3
    rows = list(
        csv.reader(io.StringIO(client.get("/staff/insights/export.csv", QUERY).content.decode()))
    )
    visits = [r for r in rows if r and r[0] == "visits"]
    assert visits[-1] == ["visits", "Totaal", "5", "2", "50", "1", "1", "1", "1", "40.0"]
    savings = [r for r in rows if r and r[0] == "savings"]
    assert savings[-1] == ["savings", "Totaal", "2", "3.5", "40.0", "237.0", "6.0"]
    book = load_workbook(io.BytesIO(client.get("/staff/insights/export.xlsx", QUERY).content))
    assert book.sheetnames == [
        "adoption",
        "adoption_per_week",
        "visits",
        "held_per_week",
        "ratings",
        "call_quality",
        "savings",
    ]
    sheet = book["visits"]
    assert [c.value for c in sheet[sheet.max_row]] == ["Totaal", 5, 2, 50, 1, 1, 1, 1, 40.0]
    assert [c.value for c in book["ratings"][book["ratings"].max_row]][:2] == ["Totaal", 2]


def test_exports_neutralise_formulas(
    lead: User, process: Process, caseworker: User, client: Client
) -> None:
    process.name = "=cmd|' /C calc'!A0"
    process.save()
    visit(process, caseworker, when=at("2026-03-03"))
    client.force_login(lead)
    text = client.get("/staff/insights/export.csv", QUERY).content.decode()
    assert "'=cmd|" in text and ",=cmd" not in text
    book = load_workbook(io.BytesIO(client.get("/staff/insights/export.xlsx", QUERY).content))
    assert book["visits"]["A2"].value.startswith("'=")
