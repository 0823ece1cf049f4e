from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import Any

from videocontact.questionnaires.definition import Question, question_map, questions
from videocontact.questionnaires.models import Questionnaire, TemplateVersion


def answer_values(questionnaire: Questionnaire) -> dict[str, Any]:
    return dict(questionnaire.answers.values_list("question_id", "value"))


def questionnaire_for_visit(visit_id: uuid.UUID) -> Questionnaire | None:
    return (
        Questionnaire.objects.select_related("version__template").filter(visit_id=visit_id).first()
    )


def question_labels(visit_id: uuid.UUID) -> dict[str, str]:
    """The labels of the visit's questionnaire questions for staff: in Dutch, the source language
    (a photo frame is built in the resident's upload request, whose language may be Arabic);
    empty when no questionnaire was started."""
    questionnaire = questionnaire_for_visit(visit_id)
    if questionnaire is None:
        return {}
    return {q.id: q.label("nl") for q in questions(questionnaire.version.definition)}


def questionnaire_with_state(questionnaire_id: uuid.UUID) -> Questionnaire:
    """The questionnaire with its version and template (questionnaires/payloads.py shapes it, its
    answers and its signature into the "form-state" frame)."""
    return Questionnaire.objects.select_related("version__template").get(pk=questionnaire_id)


def questionnaire_id_for_visit(visit_id: uuid.UUID) -> uuid.UUID | None:
    """Only the id (the definition, a large JSON document, stays in the database)."""
    found: uuid.UUID | None = (
        Questionnaire.objects.filter(visit_id=visit_id).values_list("id", flat=True).first()
    )
    return found


@functools.lru_cache(maxsize=256)
def _questions_of_version(version_id: int, created_at: datetime) -> dict[str, Question]:
    definition = TemplateVersion.objects.values_list("definition", flat=True).get(pk=version_id)
    return question_map(definition)


def version_questions(version: TemplateVersion) -> dict[str, Question]:
    """The questions of a template version (only its id and creation time need be loaded),
    parsed once per process. A version in use cannot change (TemplateVersion.save); the
    creation time is in the key, so a new version that reuses an id (a test database) never
    gets an old one's questions."""
    return _questions_of_version(version.pk, version.created_at)
