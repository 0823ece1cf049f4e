"""The builder's server side: only functional administrators of the process's unit; check
returns the JSON path of the first problem; publish stores a new version, never edits one."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client

from tests import factories
from videocontact.accounts.models import Process, Role, Unit
from videocontact.portal.views_builder import BLANK
from videocontact.questionnaires.models import QuestionnaireTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, unit: Unit) -> Client:
    client.force_login(factories.make_user(unit=unit, role=Role.FUNCTIONAL_ADMIN))
    return client


def post(client: Client, url: str, body: object) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_only_functional_administrators(client: Client, caseworker, process: Process) -> None:
    client.force_login(caseworker)
    assert client.get("/staff/questionnaires/").status_code == 404
    assert client.get(f"/staff/questionnaires/new?process={process.pk}").status_code == 404
    response = post(
        client, "/staff/questionnaires/publish", {"process": process.pk, "definition": BLANK}
    )
    assert response.status_code == 404
    assert "Vragenlijsten" not in client.get("/staff/").content.decode()


def test_list_new_from_a_shipped_example_and_preview(admin_client: Client, process) -> None:
    html = admin_client.get("/staff/questionnaires/").content.decode()
    assert "Gesprek over ondersteuning (Wmo)" in html  # a shipped example to start from
    html = admin_client.get(f"/staff/questionnaires/new?process={process.pk}&start=wmo").content
    assert b"wmo-gesprek" in html
    # A name outside the shipped examples is never read from disk: a blank form instead.
    html = admin_client.get(f"/staff/questionnaires/new?process={process.pk}&start=../x").content
    assert b"nieuwe-vragenlijst" in html
    preview = admin_client.get("/staff/questionnaires/preview?lang=ar")
    assert preview.status_code == 200
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert 'lang="ar" dir="rtl"' in preview.content.decode()


def test_check_names_the_question(admin_client: Client, process: Process) -> None:
    broken = copy.deepcopy(BLANK)
    broken["languages"]["ar"] = "machine"
    result = post(admin_client, "/staff/questionnaires/check", {"definition": broken}).json()
    assert result["ok"] is False and result["path"] == "$.title"
    assert result["message"] == "De tekst ontbreekt in: العربية."
    assert result["technical"] == "missing language(s) ar"
    broken["title"]["ar"] = "استبيان"
    broken["sections"][0]["title"]["ar"] = "الجزء 1"
    result = post(admin_client, "/staff/questionnaires/check", {"definition": broken}).json()
    assert result["path"] == "$.sections[0].questions[0].label"
    assert (
        admin_client.post("/staff/questionnaires/check", "{", content_type="x").status_code == 400
    )


def test_publish_makes_new_versions(admin_client: Client, process: Process) -> None:
    url = "/staff/questionnaires/publish"
    first = post(admin_client, url, {"process": process.pk, "definition": BLANK}).json()
    assert first["ok"] and first["number"] == 1
    changed = copy.deepcopy(BLANK)
    changed["sections"][0]["questions"][0]["required"] = True
    second = post(admin_client, url, {"process": process.pk, "definition": changed}).json()
    assert second["number"] == 2
    template = QuestionnaireTemplate.objects.get(process=process)
    assert [v.definition for v in template.versions.order_by("number")] == [BLANK, changed]
    bad = post(admin_client, url, {"process": process.pk, "definition": {"code": "x"}})
    assert bad.status_code == 400 and bad.json()["ok"] is False
    other = factories.make_process(unit=factories.make_unit())
    assert post(admin_client, url, {"process": other.pk, "definition": BLANK}).status_code == 404


def test_the_published_questionnaire_becomes_the_process_default(
    admin_client: Client, process: Process
) -> None:
    url = "/staff/questionnaires/publish"
    post(admin_client, url, {"process": process.pk, "definition": BLANK})
    other = {**copy.deepcopy(BLANK), "code": "tweede-lijst"}
    post(admin_client, url, {"process": process.pk, "definition": other})
    defaults = QuestionnaireTemplate.objects.filter(process=process, is_default=True)
    assert [t.code for t in defaults] == ["tweede-lijst"]
