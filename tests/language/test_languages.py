"""More resident languages: the address investigation questionnaire in Farsi, Somali and
Tigrinya (machine translations, listed for review), Farsi read aloud by the server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from videocontact.accounts.models import Process, User
from videocontact.language import review, tts
from videocontact.questionnaires import services
from videocontact.questionnaires.definition import validate_definition
from videocontact.visits.models import Visit

TEMPLATE = (
    Path(__file__).resolve().parents[2]
    / "src/videocontact/questionnaires/templates_data/adresonderzoek.json"
)


@pytest.fixture
def adres(process: Process) -> Any:
    return services.template_import(process=process, data=json.loads(TEMPLATE.read_text()))


@pytest.mark.parametrize("name", ["adresonderzoek", "bijstand-aanvraag", "heronderzoek"])
def test_pilot_questionnaires_have_the_new_languages_marked_machine(name: str) -> None:
    data = json.loads(TEMPLATE.with_name(f"{name}.json").read_text())
    assert {data["languages"][code] for code in ("fa", "so", "ti")} == {"machine"}
    validate_definition(data)  # every text in every language
    assert "ሰ" in data["description"]["ti"] or "ስ" in data["description"]["ti"]  # Ge'ez script


@pytest.mark.django_db
def test_review_lists_them(adres: Any) -> None:
    pending = {(i.language, i.status) for i in review.needs_review() if i.kind == "questionnaire"}
    assert {("fa", "machine"), ("so", "machine"), ("ti", "machine")} <= pending


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng missing")
@pytest.mark.django_db
def test_farsi_question_read_aloud(
    adres: Any, visit: Visit, caseworker: User, settings: Any, tmp_path: Path
) -> None:
    settings.LANGUAGE_SPEECH_DIR = tmp_path
    tts.server_languages.cache_clear()
    services.questionnaire_start(visit=visit, by_user=caseworker)
    staff = Client()
    staff.force_login(caseworker)
    audio = staff.get(f"/speech/{visit.id}/naam/fa.opus")
    assert audio.status_code == 200 and b"".join(audio.streaming_content).startswith(b"OggS")
    assert staff.get(f"/speech/{visit.id}/naam/ti.opus").status_code == 503  # no voice: clear
