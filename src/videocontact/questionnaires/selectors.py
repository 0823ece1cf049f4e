from __future__ import annotations

import uuid
from typing import Any

from videocontact.questionnaires.models import Questionnaire


def answer_values(questionnaire: Questionnaire) -> dict[str, Any]:
    return dict(questionnaire.answers.values_list("question_id", "value"))


def questionnaire_for_visit(visit_id: uuid.UUID) -> Questionnaire | None:
    return (
        Questionnaire.objects.select_related("version__template").filter(visit_id=visit_id).first()
    )


def questionnaire_with_state(questionnaire_id: uuid.UUID) -> Questionnaire:
    """The questionnaire with its version and template (questionnaires/payloads.py shapes it, its
    answers and its signature into the "form-state" frame)."""
    return Questionnaire.objects.select_related("version__template").get(pk=questionnaire_id)
