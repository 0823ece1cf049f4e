"""Who sees which numbers: a team lead only their own units, a functional administrator every
unit of their organisation, nobody another organisation; caseworkers see no dashboard."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from tests.insights.conftest import Pilot
from videocontact.accounts.models import Role
from videocontact.insights.models import BusinessCase

pytestmark = pytest.mark.django_db

PERIOD = {"first": "2026-03-02", "last": "2026-03-29"}
URLS = ["/staff/insights/", "/staff/insights/export.csv", "/staff/insights/export.xlsx"]


def _page(client: Client, **extra: str) -> str:
    response = client.get("/staff/insights/", {**PERIOD, **extra})
    assert response.status_code == 200
    return response.content.decode()


def test_team_lead_sees_only_their_unit(pilot: Pilot, client: Client) -> None:
    client.force_login(pilot.leads["Burgerzaken"])
    html = _page(client)
    assert "2 van 8 uitgenodigde medewerkers gebruikten de app (25 %)" in html
    assert "Gemeente · Burgerzaken" in html
    assert "Handhaving" not in html and "Intake" not in html and "Elders" not in html
    csv = client.get("/staff/insights/export.csv", PERIOD).content.decode()
    assert "Burgerzaken" in csv and "Handhaving" not in csv and "Intake" not in csv


def test_team_lead_cannot_pick_another_unit(pilot: Pilot, client: Client) -> None:
    client.force_login(pilot.leads["Burgerzaken"])
    for unit in (pilot.units["Intake"], pilot.other_unit):
        for url in URLS:
            response = client.get(url, {**PERIOD, "unit": str(unit.pk)})
            assert response.status_code == 400, url
            assert b"9 van 10" not in response.content


def test_team_lead_cannot_pick_another_organisation(pilot: Pilot, client: Client) -> None:
    client.force_login(pilot.leads["Intake"])
    for url in URLS:
        response = client.get(url, {**PERIOD, "org": str(pilot.other_unit.organisation_id)})
        assert response.status_code == 404, url
        assert b"Elders" not in response.content


def test_functional_admin_sees_every_unit_of_their_organisation_only(
    pilot: Pilot, client: Client
) -> None:
    client.force_login(pilot.admin)
    html = _page(client)
    for name in ("Handhaving", "Intake", "Burgerzaken"):
        assert f"Gemeente · {name}" in html
    assert "Elders" not in html
    one = _page(client, unit=str(pilot.units["Intake"].pk))
    assert "9 van 10 uitgenodigde medewerkers gebruikten de app (90 %)" in one


def test_the_other_organisation_sees_only_itself(pilot: Pilot, client: Client) -> None:
    client.force_login(pilot.other_lead)
    html = _page(client)
    assert "3 van 3 uitgenodigde medewerkers gebruikten de app (100 %)" in html
    assert "Pilotstad" not in html
    response = client.get("/staff/insights/", {**PERIOD, "org": str(pilot.organisation.pk)})
    assert response.status_code == 404


def test_caseworkers_and_strangers_see_no_dashboard(pilot: Pilot, client: Client) -> None:
    worker = factories.make_user(unit=pilot.units["Intake"], role=Role.CASEWORKER)
    client.force_login(worker)
    for url in URLS:
        assert client.get(url, PERIOD).status_code == 404
    assert b"/staff/insights/" not in client.get("/staff/").content
    client.logout()
    assert client.get("/staff/insights/").status_code == 302  # to the sign-in page


def test_only_the_functional_admin_changes_assumptions(pilot: Pilot, client: Client) -> None:
    process = pilot.processes["Intake"]
    url = f"/staff/insights/processes/{process.pk}/business-case"
    values = {
        "travel_minutes": "50",
        "visit_minutes": "60",
        "staff_count": "2",
        "km_per_visit": "30",
        "cost_per_km": "0.25",
        "cost_per_staff_hour": "70",
        "co2_grams_per_km": "140",
    }
    client.force_login(pilot.leads["Intake"])
    assert client.get(url).status_code == 404
    assert client.post(url, values).status_code == 404
    client.force_login(pilot.other_lead)
    assert client.post(url, values).status_code == 404
    client.force_login(pilot.admin)
    assert client.post(url, {**values, "staff_count": "0"}).status_code == 400
    assert client.post(url, {**values, "km_per_visit": "-5"}).status_code == 400
    assert client.post(url, {**values, "travel_minutes": "abc"}).status_code == 400
    assert not BusinessCase.objects.exists()
    assert client.post(url, values).status_code == 302
    case = BusinessCase.objects.get()
    assert (case.travel_minutes, case.staff_count, str(case.cost_per_km)) == (50, 2, "0.25")
    assert case.updated_by == pilot.admin


def test_bad_periods_are_a_clear_400(pilot: Pilot, client: Client) -> None:
    client.force_login(pilot.admin)
    for query in (
        {"first": "2026-03-29", "last": "2026-03-01"},
        {"first": "2024-01-01", "last": "2026-03-01"},
        {"first": "gisteren", "last": "2026-03-01"},
        {"first": "2026-02-30", "last": "2026-03-01"},
    ):
        for url in URLS:
            assert client.get(url, query).status_code == 400, (url, query)
