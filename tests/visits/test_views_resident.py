"""Resident pages: link → consent → device check → call, and every way a link can fail."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.helpers import db_columns_containing
from videocontact.accounts.models import Process, User
from videocontact.privacy.models import ConsentRecord
from videocontact.visits import services
from videocontact.visits.models import Invitation, Participant, ParticipantState, Visit
from videocontact.visits.selectors import SESSION_KEY

pytestmark = pytest.mark.django_db


def joined(client: Client, token: str) -> Client:
    response = client.get(f"/j/{token}")
    assert response.status_code == 302, response.status_code
    return client


def resident_urls(visit: Visit) -> list[str]:
    base = f"/v/{visit.id}/"
    return [base, base + "consent", base + "declined", base + "check", base + "call"]


def json_script(html: str, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no JSON script #{element_id}"
    return json.loads(match.group(1))


# /j/<token> ---------------------------------------------------------------------------------


def test_join_binds_the_session_and_redirects_without_the_token(
    client: Client, visit: Visit, token: str, resident: Participant
) -> None:
    before = client.session.session_key

    response = client.get(f"/j/{token}")

    assert response.status_code == 302
    assert response["Location"] == f"/v/{visit.id}/"
    assert token not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    session_cookie = response.cookies["vc_session"]
    assert session_cookie.value != before  # a new session id at the privilege change
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
    assert client.session[SESSION_KEY] == {str(visit.id): str(resident.id)}
    assert db_columns_containing(token) == []


@pytest.mark.parametrize(
    ("resident_language", "ui_language"),
    [("nl", "nl"), ("en", "en"), ("ar", "ar"), ("tr", "nl"), ("uk", "nl")],
)
def test_join_sets_the_language_cookie_from_the_visit(
    client: Client,
    process: Process,
    caseworker: User,
    resident_language: str,
    ui_language: str,
    settings: Any,
) -> None:
    """The resident's language when the interface has it, else Dutch."""
    settings.RESIDENT_UI_LANGUAGES = ["nl", "en", "ar"]
    _, issued = factories.make_visit(
        process=process, caseworker=caseworker, resident_language=resident_language
    )
    response = client.get(f"/j/{issued.token}")
    cookie = response.cookies["vc_language"]
    assert cookie.value == ui_language
    assert cookie["secure"]
    assert cookie["samesite"] == "Lax"


def test_join_keeps_a_language_the_resident_chose(
    client: Client, process: Process, caseworker: User
) -> None:
    _, issued = factories.make_visit(process=process, caseworker=caseworker, resident_language="ar")
    client.cookies["vc_language"] = "en"
    response = client.get(f"/j/{issued.token}")
    assert "vc_language" not in response.cookies
    consent = client.get(response["Location"], follow=True)
    assert consent.context["LANGUAGE_CODE"] == "en"


def test_arabic_pages_are_right_to_left(client: Client, process: Process, caseworker: User) -> None:
    _, issued = factories.make_visit(process=process, caseworker=caseworker, resident_language="ar")
    page = client.get(f"/j/{issued.token}", follow=True)
    assert page.status_code == 200
    assert re.search(r'<html lang="ar" dir="rtl">', page.content.decode())


@pytest.mark.parametrize("bad_token", ["nope", "A" * 32, "x" * 200, "%00" * 10])
def test_unknown_link_renders_404_page(client: Client, visit: Visit, bad_token: str) -> None:
    response = client.get(f"/j/{bad_token}", follow=True)
    assert response.status_code == 404
    assert response.context["reason"] == "unknown"
    assert "resident/link_problem.html" in [t.name for t in response.templates]
    assert SESSION_KEY not in client.session


def test_revoked_link_renders_410(
    client: Client, visit: Visit, token: str, resident: Participant, caseworker: User
) -> None:
    services.invitation_revoke(invitation=resident.invitations.get(), by_user=caseworker)
    response = client.get(f"/j/{token}", follow=True)
    assert response.status_code == 410
    assert response.context["reason"] == "revoked"
    assert SESSION_KEY not in client.session


def test_expired_link_renders_410(client: Client, visit: Visit, token: str) -> None:
    Invitation.objects.update(
        valid_from=timezone.now() - timedelta(hours=5),
        valid_until=timezone.now() - timedelta(minutes=1),
    )
    response = client.get(f"/j/{token}", follow=True)
    assert response.status_code == 410
    assert response.context["reason"] == "expired"


def test_link_of_an_ended_visit_renders_410(
    client: Client, visit: Visit, token: str, caseworker: User
) -> None:
    services.visit_end(visit=visit, by_user=caseworker)
    response = client.get(f"/j/{token}", follow=True)
    assert response.status_code == 410
    assert response.context["reason"] == "closed"


def test_early_link_says_when_it_opens(client: Client, process: Process, caseworker: User) -> None:
    planned = timezone.now() + timedelta(days=3)
    _, issued = factories.make_visit(process=process, caseworker=caseworker, scheduled_at=planned)
    response = client.get(f"/j/{issued.token}", follow=True)
    assert response.status_code == 200
    assert response.context["reason"] == "not_yet_valid"
    assert response.context["opens_at"] == planned - timedelta(minutes=30)
    assert SESSION_KEY not in client.session


# Pages that need the session ----------------------------------------------------------------


def test_resident_pages_without_a_session_are_refused(client: Client, visit: Visit) -> None:
    for url in resident_urls(visit):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.context["reason"] == "session"
    assert client.post(f"/v/{visit.id}/consent", {"decision": "accept"}).status_code == 403


def test_a_session_for_one_visit_does_not_open_another(
    client: Client, token: str, process: Process, caseworker: User
) -> None:
    joined(client, token)
    other, _ = factories.make_visit(process=process, caseworker=caseworker)
    for url in resident_urls(other):
        assert client.get(url).status_code == 403, url


def test_staff_login_does_not_open_resident_pages(
    client: Client, visit: Visit, caseworker: User
) -> None:
    client.force_login(caseworker)
    assert client.get(f"/v/{visit.id}/").status_code == 403


def test_entry_sends_a_new_resident_to_consent(client: Client, visit: Visit, token: str) -> None:
    response = joined(client, token).get(f"/v/{visit.id}/")
    assert response.status_code == 302
    assert response["Location"] == f"/v/{visit.id}/consent"


def test_consent_page(client: Client, visit: Visit, token: str) -> None:
    response = joined(client, token).get(f"/v/{visit.id}/consent")
    assert response.status_code == 200
    assert response.context["retention_days"] == 90
    assert response.context["process"] == visit.process
    assert not response.context["missing_choice"]


def test_consent_accept_goes_to_the_device_check(
    client: Client, visit: Visit, token: str, resident: Participant
) -> None:
    client.cookies["vc_language"] = "en"
    response = joined(client, token).post(f"/v/{visit.id}/consent", {"decision": "accept"})

    assert response.status_code == 302
    assert response["Location"] == f"/v/{visit.id}/check"
    resident.refresh_from_db()
    assert resident.state == ParticipantState.CONSENTED
    record = ConsentRecord.objects.get(participant=resident)
    assert (record.decision, record.language) == ("accepted", "en")

    check = client.get(response["Location"])
    assert check.status_code == 200
    assert check.context["next_url"] == f"/v/{visit.id}/call"
    config = json_script(check.content.decode(), "check-config")
    assert config["strings"]["ready"] and config["turnUrl"] == "/check/turn"
    assert config["mayTestTurn"] is True  # a browser that opened the link may test TURN

    entry = client.get(f"/v/{visit.id}/")
    assert entry["Location"] == f"/v/{visit.id}/call"


def test_consent_decline_goes_to_the_declined_page(
    client: Client, visit: Visit, token: str, resident: Participant
) -> None:
    response = joined(client, token).post(f"/v/{visit.id}/consent", {"decision": "decline"})

    assert response.status_code == 302
    assert response["Location"] == f"/v/{visit.id}/declined"
    resident.refresh_from_db()
    assert resident.state == ParticipantState.DECLINED
    assert client.get(response["Location"]).status_code == 200
    assert client.get(f"/v/{visit.id}/")["Location"] == f"/v/{visit.id}/declined"
    assert client.get(f"/v/{visit.id}/check")["Location"] == f"/v/{visit.id}/"
    assert client.get(f"/v/{visit.id}/call")["Location"] == f"/v/{visit.id}/"


@pytest.mark.parametrize(
    "payload", [{"decision": "maybe"}, {"decision": ""}, {}, {"decision": "ACCEPT"}]
)
def test_consent_without_a_valid_choice_is_400(
    client: Client, visit: Visit, token: str, resident: Participant, payload: dict
) -> None:
    response = joined(client, token).post(f"/v/{visit.id}/consent", payload)
    assert response.status_code == 400
    assert response.context["missing_choice"]
    resident.refresh_from_db()
    assert resident.state == ParticipantState.INVITED
    assert not ConsentRecord.objects.exists()


def test_consent_only_takes_get_and_post(client: Client, visit: Visit, token: str) -> None:
    assert joined(client, token).put(f"/v/{visit.id}/consent").status_code == 405


def test_consent_post_needs_the_csrf_token(visit: Visit, token: str, resident: Participant) -> None:
    client = joined(Client(enforce_csrf_checks=True), token)
    assert client.post(f"/v/{visit.id}/consent", {"decision": "accept"}).status_code == 403
    resident.refresh_from_db()
    assert resident.state == ParticipantState.INVITED


def test_check_and_call_need_consent_first(client: Client, visit: Visit, token: str) -> None:
    joined(client, token)
    assert client.get(f"/v/{visit.id}/check")["Location"] == f"/v/{visit.id}/"
    assert client.get(f"/v/{visit.id}/call")["Location"] == f"/v/{visit.id}/"


def test_call_page_carries_its_configuration_as_json(
    client: Client, visit: Visit, token: str, resident: Participant
) -> None:
    joined(client, token).post(f"/v/{visit.id}/consent", {"decision": "accept"})
    response = client.get(f"/v/{visit.id}/call")

    assert response.status_code == 200
    config = json_script(response.content.decode(), "vc-config")
    assert config["visitId"] == str(visit.id)
    assert config["wsPath"] == f"/ws/visits/{visit.id}/"
    assert config["isStaff"] is False
    assert config["role"] == "resident"
    assert set(config["strings"]) >= {
        "waiting",
        "admitted",
        "denied",
        "ended",
        "replaced",
        "full",
        "unauthorized",
    }
    assert token not in response.content.decode()


def test_pages_of_an_ended_visit_say_so(
    client: Client, visit: Visit, token: str, caseworker: User
) -> None:
    joined(client, token).post(f"/v/{visit.id}/consent", {"decision": "accept"})
    services.visit_end(visit=visit, by_user=caseworker)
    for url in resident_urls(visit):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "resident/ended.html" in [t.name for t in response.templates]
