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


def state_frame(questionnaire_id: uuid.UUID) -> dict[str, Any]:
    """Everything a page needs to show the questionnaire (never the internal notes)."""
    questionnaire = Questionnaire.objects.select_related("version__template").get(
        pk=questionnaire_id
    )
    signature = questionnaire.current_signature
    return {
        "type": "form-state",
        "questionnaire": str(questionnaire.id),
        "template": questionnaire.version.template.code,
        "version": questionnaire.version.number,
        "definition": questionnaire.version.definition,
        "language": questionnaire.language,
        "answers": {
            a.question_id: {"value": a.value, "version": a.version}
            for a in questionnaire.answers.all()
        },
        "signed": (
            {"sha256": signature.sha256, "signedAt": signature.signed_at.isoformat()}
            if signature
            else None
        ),
    }
