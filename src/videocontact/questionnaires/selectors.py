from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import Any

from videocontact.questionnaires.definition import Question, question_map
from videocontact.questionnaires.models import Questionnaire, TemplateVersion


def answer_values(questionnaire: Questionnaire) -> dict[str, Any]:
    return dict(questionnaire.answers.values_list("question_id", "value"))


def questionnaire_for_visit(visit_id: uuid.UUID) -> Questionnaire | None:
    return (
        Questionnaire.objects.select_related("version__template").filter(visit_id=visit_id).first()
    )


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
