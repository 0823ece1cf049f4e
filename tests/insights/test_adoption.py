"""Adoption by the pilot report's definitions, on the pilot's own situation."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.insights.conftest import PILOT_PERIOD, Pilot
from tests.insights.data import at, staff
from videocontact.insights.models import LoginEvent
from videocontact.insights.selectors.adoption import adoption, adoption_trend
from videocontact.insights.selectors.scope import Period, scope_for

pytestmark = pytest.mark.django_db

QUERY = {"first": "2026-03-02", "last": "2026-03-29"}


def test_the_pilot_is_20_of_29(pilot: Pilot) -> None:
    scope = scope_for(pilot.admin)
    assert scope is not None
    rows, total = adoption(scope, PILOT_PERIOD)
    assert (total.invited, total.activated, total.logged_in, total.used) == (29, 24, 24, 20)
    assert total.percent == 69
    by_unit = {r.label.split(" · ")[1]: r for r in rows}
    assert (by_unit["Handhaving"].invited, by_unit["Handhaving"].used) == (11, 9)
    assert (by_unit["Intake"].invited, by_unit["Intake"].used) == (10, 9)
    assert (by_unit["Burgerzaken"].invited, by_unit["Burgerzaken"].used) == (8, 2)
    assert [by_unit[n].percent for n in ("Handhaving", "Intake", "Burgerzaken")] == [82, 90, 25]
    assert by_unit["Burgerzaken"].activated == 5


def test_the_dashboard_shows_20_of_29(pilot: Pilot, client: Client) -> None:
    client.force_login(pilot.admin)
    response = client.get("/staff/insights/", QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "20 van 29 uitgenodigde medewerkers gebruikten de app (69 %)" in html
    table = html[
        html.index('id="adoption-table"') : html.index(
            "</table>", html.index('id="adoption-table"')
        )
    ]
    for name, cells in [
        ("Handhaving", "<td>11</td><td>10</td><td>10</td><td>9</td><td>82 %</td>"),
        ("Intake", "<td>10</td><td>9</td><td>9</td><td>9</td><td>90 %</td>"),
        ("Burgerzaken", "<td>8</td><td>5</td><td>5</td><td>2</td><td>25 %</td>"),
    ]:
        row = table[table.index(f"Gemeente · {name}</th>") :]
        assert row.split("</tr>")[0].endswith(cells), name
    assert "Elders" not in html


def test_used_needs_activation_login_and_a_held_visit_in_the_period(pilot: Pilot) -> None:
    scope = scope_for(pilot.admin)
    assert scope is not None
    # April: nobody signed in and no visits, so nobody used it; everyone is still invited.
    april = Period(at("2026-04-01").date(), at("2026-04-30").date())
    _, total = adoption(scope, april)
    assert (total.invited, total.activated, total.logged_in, total.used) == (29, 24, 0, 0)
    # Before anyone's account existed: nothing.
    _, before = adoption(scope, Period(at("2026-01-01").date(), at("2026-01-10").date()))
    assert before.invited == 0 and before.percent is None


def test_trend_per_week(pilot: Pilot) -> None:
    scope = scope_for(pilot.admin)
    assert scope is not None
    trend = adoption_trend(scope, PILOT_PERIOD)
    assert [w for w, _ in trend] == ["2026-W10", "2026-W11", "2026-W12", "2026-W13"]
    # The 20 users signed in only in week 10; their visits spread over weeks 10-13 (i % 4),
    # so only those whose visit was in week 10 used the app that week: 3 + 3 + 1.
    assert [a.used for _, a in trend] == [7, 0, 0, 0]
    assert [a.logged_in for _, a in trend] == [20, 4, 0, 0]


def test_sign_ins_are_recorded(pilot: Pilot, client: Client) -> None:
    newcomer = staff(pilot.units["Intake"], joined=at("2026-03-01"), password="geheim-wachtwoord-1")
    assert client.login(username=newcomer.username, password="geheim-wachtwoord-1")
    assert LoginEvent.objects.filter(user=newcomer).count() == 1
