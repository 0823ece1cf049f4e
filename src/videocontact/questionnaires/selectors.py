from __future__ import annotations

import uuid
from typing import Any

from videocontact.questionnaires.definition import questions
from videocontact.questionnaires.models import Questionnaire


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
