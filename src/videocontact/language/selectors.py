"""Read-only look-ups of the language app."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from videocontact.questionnaires.definition import questions
from videocontact.questionnaires.selectors import questionnaire_for_visit

_END = re.compile(r"[.?!:؟።]\s*$")


def _pick(text: dict[str, str], language: str) -> str:
    return text.get(language) or text.get("nl") or next(iter(text.values()), "")


def question_speech_text(visit_id: uuid.UUID, question_id: str, language: str) -> str | None:
    """What "Read aloud" says for one question of the visit's questionnaire: label, help and
    the choices, built from the template only (the same parts as js/form.js reads). None when
    the visit has no such question or the questionnaire is not in that language."""
    questionnaire = questionnaire_for_visit(visit_id)
    if questionnaire is None:
        return None
    definition = questionnaire.version.definition
    if language not in definition.get("languages", {}):
        return None
    question = next((q for q in questions(definition) if q.id == question_id), None)
    if question is None or question.type == "signature":
        return None
    data = question.data
    parts = [
        _pick(data["label"], language),
        _pick(data["help"], language) if "help" in data else "",
    ]
    if question.type == "yes_no":
        with translation.override(language):
            parts += [_("Yes"), _("No")]
    parts += [_pick(option["label"], language) for option in data.get("options", [])]
    return " ".join(p if _END.search(p) else f"{p}." for p in parts if p)


def machine_translation(text: str, source: str, target: str) -> tuple[str, str] | None:
    """(translation, engine) when a working engine has the pair, else None: a report is built
    the same with or without machine translation installed."""
    from videocontact.language import mt
    from videocontact.language.errors import LanguageError

    try:
        result = mt.translate(text, source, target)
    except LanguageError:
        return None
    return result.text, result.engine


def transcript_lines(visit_id: uuid.UUID) -> list[Any]:
    """The kept caption lines of a visit (only processes that keep transcripts have any)."""
    from videocontact.language.models import TranscriptLine

    return list(
        TranscriptLine.objects.filter(session__visit_id=visit_id).order_by("spoken_at", "pk")
    )
