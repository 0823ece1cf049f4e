"""The report: the resident's written answers with a marked machine translation beside the
original, and the caption transcript when the process keeps it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from tests.language.libretranslate import LibreTranslateServer
from videocontact.language import mt
from videocontact.language.models import CaptionSession, TranscriptLine
from videocontact.questionnaires.models import Answer, Questionnaire
from videocontact.reports.content import gather
from videocontact.visits.models import Visit


@pytest.fixture
def libretranslate(settings: Any) -> Iterator[None]:
    with LibreTranslateServer() as server:
        settings.LANGUAGE_MT_ENGINES = ["libretranslate"]
        settings.LANGUAGE_LIBRETRANSLATE_URL = server.url
        mt.reset()
        yield
    mt.reset()


@pytest.mark.django_db
def test_free_text_gets_a_marked_translation_and_the_transcript_is_there(
    libretranslate: None, questionnaire: Questionnaire, visit: Visit
) -> None:
    questionnaire.language = "en"
    questionnaire.save()
    Answer.objects.create(questionnaire=questionnaire, question_id="name", value="the house is big")
    session = CaptionSession.objects.create(
        visit=visit, state="stopped", requested_by=visit.participants.first(), keep_transcript=True
    )
    TranscriptLine.objects.create(
        session=session,
        role="resident",
        language="nl",
        text="Ik woon hier.",
        spoken_at=timezone.now(),
    )
    content = gather(visit=visit, number=1, now=timezone.now())
    row = next(r for s in content.sections for r in s.rows if r.answer.nl == "the house is big")
    assert row.machine == ("het huis is groot", "libretranslate")
    html = render_to_string("reports/report.html", {"r": content, "other": content.other_language})
    assert "het huis is groot" in html and "Machinevertaling (libretranslate)" in html
    assert "Ik woon hier." in html


@pytest.mark.django_db
def test_without_an_engine_the_report_is_the_same(
    settings: Any, questionnaire: Questionnaire, visit: Visit
) -> None:
    settings.LANGUAGE_MT_ENGINES = []
    mt.reset()
    questionnaire.language = "en"
    questionnaire.save()
    Answer.objects.create(questionnaire=questionnaire, question_id="name", value="the house")
    content = gather(visit=visit, number=1, now=timezone.now() - dt.timedelta(seconds=1))
    assert all(r.machine is None for s in content.sections for r in s.rows)
    assert content.transcript == []
