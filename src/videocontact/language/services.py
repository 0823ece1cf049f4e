"""Services of the language app: machine translation of a visit's free-text answers."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from videocontact.accounts.models import User
from videocontact.language import mt
from videocontact.language.errors import EngineUnavailable
from videocontact.privacy.audit import audit
from videocontact.questionnaires.definition import questions
from videocontact.questionnaires.selectors import answer_values, questionnaire_for_visit
from videocontact.visits.models import Visit

FREE_TEXT = frozenset({"short_text", "long_text"})


@transaction.atomic
def answers_translate(*, visit: Visit, target: str, by_user: User) -> dict[str, Any]:
    """The resident's free-text answers in `target`, each marked as a machine translation,
    beside the original. Not stored, not cached: the caseworker sees it, the audit trail says
    that it happened (never the text)."""
    questionnaire = questionnaire_for_visit(visit.id)
    if questionnaire is None:
        return {"source": None, "target": target, "answers": {}}
    source = questionnaire.language
    answers = answer_values(questionnaire)
    result: dict[str, Any] = {}
    if source != target:
        for question in questions(questionnaire.version.definition):
            value = answers.get(question.id)
            if question.type not in FREE_TEXT or not isinstance(value, str) or not value.strip():
                continue
            try:
                translation = mt.translate(value, source, target)
            except EngineUnavailable as exc:
                result[question.id] = {
                    "label": question.label(target),
                    "original": value,
                    "error": exc.code,
                }
                continue
            result[question.id] = {
                "label": question.label(target),
                "original": value,
                "text": translation.text,
                "engine": translation.engine,
                "machine": True,
            }
    if result:
        audit(
            action="answers_translated",
            obj=questionnaire,
            actor_user=by_user,
            visit_id=visit.id,
            source=source,
            target=target,
            questions=sorted(result),
        )
    return {"source": source, "target": target, "answers": result}
