"""Answers, signatures and the caseworker's notes of a visit past its term."""

from __future__ import annotations

import uuid

from django.db import transaction

from videocontact.privacy.purge import register_purger
from videocontact.questionnaires.models import Answer, Questionnaire, Signature


@transaction.atomic
def purge_questionnaire(visit_id: uuid.UUID) -> dict[str, int]:
    answers, _ = Answer.objects.filter(questionnaire__visit_id=visit_id).delete()
    signatures, _ = Signature.objects.filter(questionnaire__visit_id=visit_id).delete()
    notes = Questionnaire.objects.filter(visit_id=visit_id).exclude(notes="").count()
    Questionnaire.objects.filter(visit_id=visit_id).delete()
    return {"answers": answers, "signatures": signatures, "notes": notes}


register_purger("questionnaires", purge_questionnaire, order=30)
