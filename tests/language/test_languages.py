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


# The resident's pages in Farsi, Somali and Tigrinya ---------------------------------------

NEW_LANGUAGES = ("fa", "so", "ti")
CATALOG_ROOT = Path(__file__).resolve().parents[2] / "src/videocontact"


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [
        ("fa", "rtl", "چه اتفاقی می‌افتد؟"),
        ("so", "ltr", "Maxaa dhici doona?"),
        ("ti", "ltr", "እንታይ ክኸውን እዩ?"),
    ],
)
@pytest.mark.django_db
def test_consent_page_in_the_residents_language(
    process: Process, caseworker: User, language: str, direction: str, heading: str
) -> None:
    from tests import factories

    _visit, issued = factories.make_visit(
        process=process, caseworker=caseworker, resident_language=language
    )
    page = Client().get(f"/j/{issued.token}", follow=True)
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert heading in html
    assert f'<option value="{language}" selected lang="{language}">' in html  # selectable


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_every_string_of_the_call_page_is_translated(language: str) -> None:
    """The JS strings of the resident's call page (call, form, photo and caption texts)."""
    from django.utils import translation

    from videocontact.evidence.call_config import photo_strings
    from videocontact.language.call_config import caption_strings
    from videocontact.portal.call_config import call_strings, form_strings

    def strings() -> dict[str, str]:
        return call_strings() | form_strings() | photo_strings() | caption_strings()

    with translation.override("en"):
        english = strings()
    with translation.override(language):
        translated = strings()
    staff_only = {k for k in english if k.startswith(("code", "askR", "askF", "endForAll"))}
    staff_only |= {"admit", "deny", "nobodyWaiting", "newDevice", "confirmEnd"}
    staff_only |= {k for k in english if k.startswith(("state", "cap")) and k.endswith("Start")}
    untranslated = [
        key
        for key, text in english.items()
        if key not in staff_only
        and not key.startswith(("fw.", "languageName."))
        and translated[key] == text
    ]
    assert untranslated == []
    assert translated[f"fw.{language}.yes"] != "Yes"


@pytest.mark.django_db
def test_new_catalogs_are_machine_translations_listed_for_review() -> None:
    catalogs = {(i.name, i.language): i for i in review.needs_review() if i.kind == "catalog"}
    for language in NEW_LANGUAGES:
        for app in ("project", "guidance", "insights", "language", "notifications", "reports"):
            item = catalogs[(app, language)]
            assert item.status == "machine" and item.entries > 0
    assert (CATALOG_ROOT / "locale/ti/LC_MESSAGES/django.po").read_text().count("ሰራሕተኛ") > 5
