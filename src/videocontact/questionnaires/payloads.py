"""The "form-state" room frame shaped from what the selectors read (docs/protocol.md)."""

from __future__ import annotations

import uuid
from typing import Any

from videocontact.questionnaires.selectors import questionnaire_with_state


def state_frame(questionnaire_id: uuid.UUID) -> dict[str, Any]:
    """Everything a page needs to show the questionnaire (never the internal notes)."""
    questionnaire = questionnaire_with_state(questionnaire_id)
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
