"""The rating after the call (a plain form POST through the resident access gate) and the
caseworker's quick question. Malformed or hostile input: a clear 4xx and nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.insights.data import at, visit
from videocontact.accounts.models import Process, User
from videocontact.insights.models import Rating, TechCheck
from videocontact.visits.models import Participant, ParticipantRole, ParticipantState

pytestmark = pytest.mark.django_db


def _held(process: Process, caseworker: User, language: str = "nl") -> tuple[Any, Participant]:
    v = visit(process, caseworker, when=at("2026-03-03"), resident_language=language)
    return v, factories.resident_of(v)


def _client_for(participant: Participant, language: str = "nl") -> Client:
    client = Client()
    client.cookies["vc_session"] = factories.participant_session(participant)
    client.cookies["vc_language"] = language
    return client


def test_the_resident_rates_in_arabic(process: Process, caseworker: User) -> None:
    v, resident = _held(process, caseworker, "ar")
    client = _client_for(resident, "ar")
    page = client.get(f"/v/{v.id}/rating")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "هل كان الاستخدام سهلاً؟" in html and "جيد" in html
    assert html.count('type="radio"') == 6
    response = client.post(
        f"/v/{v.id}/rating", {"ease": "3", "appreciation": "2", "comment": "شكراً"}
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.ease, rating.appreciation, rating.comment) == (3, 2, "شكراً")
    assert (rating.role, rating.language, rating.visit_id) == ("resident", "ar", v.id)
    thanks = client.get(f"/v/{v.id}/rating")
    assert "شكراً لك" in thanks.content.decode()


def test_the_ended_page_offers_the_rating_once(process: Process, caseworker: User) -> None:
    v, resident = _held(process, caseworker)
    client = _client_for(resident)
    assert "Hoe ging het?" in client.get(f"/v/{v.id}/").content.decode()
    client.post(f"/v/{v.id}/rating", {"ease": "1"})
    assert "Hoe ging het?" not in client.get(f"/v/{v.id}/").content.decode()


def test_a_guest_rates_too_one_rating_each(process: Process, caseworker: User) -> None:
    v, resident = _held(process, caseworker)
    guest = factories.make_participant(
        visit=v,
        role=ParticipantRole.INTERPRETER,
        state=ParticipantState.LEFT,
        admitted_at=at("2026-03-03"),
        consented_at=at("2026-03-03"),
    )
    assert _client_for(guest).post(f"/v/{v.id}/rating", {"appreciation": "3"}).status_code == 302
    client = _client_for(resident)
    assert client.post(f"/v/{v.id}/rating", {"ease": "2"}).status_code == 302
    again = client.post(f"/v/{v.id}/rating", {"ease": "3"})
    assert again.status_code == 409
    assert sorted(Rating.objects.values_list("role", flat=True)) == ["interpreter", "resident"]
    assert Rating.objects.get(role="resident").ease == 2


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"ease": "7"},
        {"ease": "0"},
        {"ease": "good"},
        {"ease": "3", "appreciation": "-1"},
        {"ease": "3", "comment": "x" * 1001},
        {"comment": "bell\x07"},
        {"comment": "   "},
        {"ease": "1e1"},
        {"ease": ["1", "3"]},
    ],
)
def test_malformed_ratings_are_refused(process: Process, caseworker: User, data: dict) -> None:
    v, resident = _held(process, caseworker)
    response = _client_for(resident).post(f"/v/{v.id}/rating", data)
    assert response.status_code == 400
    assert Rating.objects.count() == 0


def test_who_may_not_rate(process: Process, caseworker: User, outsider: User) -> None:
    v, _ = _held(process, caseworker)
    # No session bound to this visit: 403, nothing stored.
    assert Client().post(f"/v/{v.id}/rating", {"ease": "3"}).status_code == 403
    # A session for another visit's resident.
    _, other_resident = _held(process, caseworker)
    assert _client_for(other_resident).post(f"/v/{v.id}/rating", {"ease": "3"}).status_code == 403
    # A resident who never reached the call.
    planned, _ = factories.make_visit(process=process, caseworker=caseworker)
    waiting = factories.resident_of(planned)
    Participant.objects.filter(pk=waiting.pk).update(state=ParticipantState.CONSENTED)
    assert _client_for(waiting).post(f"/v/{planned.id}/rating", {"ease": "3"}).status_code == 403
    # A removed guest.
    guest = factories.make_participant(
        visit=v,
        state=ParticipantState.LEFT,
        admitted_at=at("2026-03-03"),
        removed_at=at("2026-03-03", 11),
    )
    assert _client_for(guest).post(f"/v/{v.id}/rating", {"ease": "3"}).status_code == 403
    assert Rating.objects.count() == 0


def test_caseworker_answers_the_quick_question(
    process: Process, caseworker: User, client: Client
) -> None:
    v, _ = _held(process, caseworker)
    client.force_login(caseworker)
    page = client.get(f"/staff/visits/{v.id}/")
    assert "Werkte de techniek?" in page.content.decode()
    response = client.post(
        f"/staff/visits/{v.id}/tech-check", {"answer": "1", "problem": "no_sound"}
    )
    assert response.status_code == 302
    check = TechCheck.objects.get()
    assert (check.answer, check.problem, check.user) == (1, "no_sound", caseworker)
    # Answering again replaces the answer; "it worked" has no problem category.
    client.post(f"/staff/visits/{v.id}/tech-check", {"answer": "3", "problem": "dropped"})
    check = TechCheck.objects.get()
    assert (check.answer, check.problem) == (3, "")


@pytest.mark.parametrize(
    "data", [{}, {"answer": "4"}, {"answer": "x"}, {"answer": "2", "problem": "<script>"}]
)
def test_malformed_quick_answers(
    process: Process, caseworker: User, client: Client, data: dict
) -> None:
    v, _ = _held(process, caseworker)
    client.force_login(caseworker)
    assert client.post(f"/staff/visits/{v.id}/tech-check", data).status_code == 400
    assert TechCheck.objects.count() == 0


def test_quick_question_needs_the_visit(
    process: Process, caseworker: User, outsider: User, client: Client
) -> None:
    v, _ = _held(process, caseworker)
    client.force_login(outsider)
    assert client.post(f"/staff/visits/{v.id}/tech-check", {"answer": "3"}).status_code == 404
    planned, _ = factories.make_visit(process=process, caseworker=caseworker)
    client.force_login(caseworker)
    assert client.post(f"/staff/visits/{planned.id}/tech-check", {"answer": "3"}).status_code == 409
    assert TechCheck.objects.count() == 0
