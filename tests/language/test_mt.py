"""Machine translation: real Apertium pairs, a local LibreTranslate-speaking server, missing
engines that make a pair unavailable, and the caseworker's translation of free-text answers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.language.libretranslate import LibreTranslateServer
from videocontact.accounts.models import User
from videocontact.language import mt
from videocontact.language.errors import EngineUnavailable, LanguageError
from videocontact.privacy.models import AuditEvent
from videocontact.questionnaires.models import Answer, Questionnaire
from videocontact.visits.models import Visit

needs_apertium = pytest.mark.skipif(not shutil.which("apertium"), reason="apertium missing")


@pytest.fixture(autouse=True)
def _fresh_pairs(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_MT_ENGINES = ["apertium", "argos", "libretranslate"]
    settings.LANGUAGE_LIBRETRANSLATE_URL = ""
    mt.reset()
    yield
    mt.reset()


@pytest.fixture
def libretranslate(settings: Any) -> Iterator[LibreTranslateServer]:
    with LibreTranslateServer(api_key="secret") as server:
        settings.LANGUAGE_LIBRETRANSLATE_URL = server.url
        settings.LANGUAGE_LIBRETRANSLATE_KEY = "secret"
        mt.reset()
        yield server


@needs_apertium
def test_apertium_offers_its_installed_pairs_and_translates() -> None:
    pairs = mt.available_pairs()
    assert pairs[("en", "es")] == "apertium"
    assert pairs[("nl", "af")] == "apertium"
    assert ("nl", "en") not in pairs  # no such Debian pair: not offered
    result = mt.translate("Where is the house?", "en", "es")
    assert result.machine and result.engine == "apertium"
    assert "casa" in result.text.lower()


def test_libretranslate_over_http(libretranslate: LibreTranslateServer) -> None:
    assert mt.available_pairs()[("nl", "en")] == "libretranslate"
    result = mt.translate("het huis is groot", "nl", "en")
    assert result.text == "the house is big" and result.engine == "libretranslate"
    assert libretranslate.requests[-1]["api_key"] == "secret"


def test_an_engine_that_is_gone_makes_pairs_unavailable(settings: Any) -> None:
    settings.LANGUAGE_MT_ENGINES = ["libretranslate"]
    settings.LANGUAGE_LIBRETRANSLATE_URL = "http://127.0.0.1:9"  # nothing listens
    mt.reset()
    assert mt.available_pairs() == {}
    with pytest.raises(EngineUnavailable) as info:
        mt.translate("huis", "nl", "en")
    assert info.value.code == "no_pair"
    with pytest.raises(LanguageError):
        mt.translate("huis", "nl", "nl")


def test_a_server_that_fails_later_is_a_clear_error(libretranslate: LibreTranslateServer) -> None:
    mt.available_pairs()
    libretranslate.api_key = "rotated"
    with pytest.raises(EngineUnavailable):
        mt.translate("huis", "nl", "en")


@needs_apertium
@pytest.mark.django_db
def test_caseworker_translates_free_text_answers(
    questionnaire: Questionnaire, visit: Visit, caseworker: User
) -> None:
    questionnaire.language = "en"
    questionnaire.save()
    Answer.objects.create(questionnaire=questionnaire, question_id="name", value="The big house")
    Answer.objects.create(questionnaire=questionnaire, question_id="household", value=3)
    client = Client()
    client.force_login(caseworker)
    url = f"/staff/visits/{visit.id}/language/translate-answers"
    data = client.post(url, {"target": "es"}).json()
    assert data["source"] == "en" and data["target"] == "es"
    assert set(data["answers"]) == {"name"}  # free text only
    name = data["answers"]["name"]
    assert name["original"] == "The big house" and name["machine"] is True
    assert "casa" in name["text"].lower() and name["engine"] == "apertium"
    event = AuditEvent.objects.get(action="answers_translated")
    assert event.data["questions"] == ["name"] and "house" not in str(event.data)
    unavailable = client.post(url, {"target": "ti"}).json()
    assert unavailable["answers"]["name"]["error"] == "no_pair"
    assert client.post(url, {"target": "../x"}).status_code == 400
    pairs = client.get("/staff/language/pairs").json()["pairs"]
    assert {"source": "en", "target": "es", "engine": "apertium"} in pairs


@pytest.mark.django_db
def test_outsiders_cannot_translate(
    questionnaire: Questionnaire, visit: Visit, outsider: User
) -> None:
    client = Client()
    url = f"/staff/visits/{visit.id}/language/translate-answers"
    assert client.post(url, {"target": "es"}).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.post(url, {"target": "es"}).status_code == 404


@needs_apertium
@pytest.mark.django_db
def test_the_call_page_offers_only_working_targets(visit: Visit, caseworker: User) -> None:
    client = Client()
    client.force_login(caseworker)
    page = client.get(f"/staff/visits/{visit.id}/call").content.decode()
    assert 'id="vc-translate"' in page and "vc-language-config" in page
    assert '"code": "es"' in page and '"code": "af"' in page
    assert '"code": "ti"' not in page
