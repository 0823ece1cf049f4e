"""Write side of questionnaires: import templates, start, answer, sign, reopen, notes."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from videocontact.accounts.models import Process, User
from videocontact.core.errors import ServiceError
from videocontact.privacy.approvals import storage_require
from videocontact.privacy.audit import audit
from videocontact.privacy.models import StorageKind
from videocontact.questionnaires import payloads, selectors
from videocontact.questionnaires.answers import AnswerInvalid, clean_answer, is_empty
from videocontact.questionnaires.definition import (
    questions,
    validate_definition,
    visible_ids,
)
from videocontact.questionnaires.models import (
    Answer,
    Questionnaire,
    QuestionnaireTemplate,
    Signature,
    TemplateVersion,
)
from videocontact.questionnaires.signing import (
    canonical_payload,
    check_strokes,
    decode_png,
    sha256_hex,
    signed_answers,
)
from videocontact.rooms import events
from videocontact.visits.models import Participant, ParticipantRole, Visit


class QuestionnaireError(ServiceError):
    code = "form_error"


class NoTemplate(QuestionnaireError):
    code = "no_template"


class FormLocked(QuestionnaireError):
    code = "form_locked"


class AnswerConflict(QuestionnaireError):
    code = "conflict"

    def __init__(self, answer: Answer) -> None:
        super().__init__("the answer changed meanwhile")
        self.answer = answer


class NotAllowedToAnswer(QuestionnaireError):
    code = "forbidden"


class Incomplete(QuestionnaireError):
    code = "incomplete"

    def __init__(self, missing: list[str]) -> None:
        super().__init__("required questions are not answered")
        self.missing = missing


@transaction.atomic
def template_import(
    *, process: Process, data: dict[str, Any], by_user: User | None = None
) -> TemplateVersion:
    """Validate a template file and store it as a new version (unless identical to the latest)."""
    validate_definition(data)
    template, _ = QuestionnaireTemplate.objects.get_or_create(
        process=process, code=data["code"], defaults={"name": data["title"].get("nl", data["code"])}
    )
    latest = template.latest_version()
    if latest is not None and latest.definition == data:
        return latest
    version = TemplateVersion.objects.create(
        template=template,
        number=(latest.number + 1) if latest else 1,
        definition=data,
        created_by=by_user,
    )
    audit(
        action="questionnaire.version_created",
        obj=version,
        actor_user=by_user,
        template=template.code,
        number=version.number,
    )
    return version


@transaction.atomic
def template_make_default(*, template: QuestionnaireTemplate, by_user: User | None) -> None:
    """New visits of the process use this questionnaire (one default per process)."""
    QuestionnaireTemplate.objects.filter(process=template.process_id).exclude(
        pk=template.pk
    ).update(is_default=False)
    if not template.is_default:
        template.is_default = True
        template.save(update_fields=["is_default"])
    audit(action="questionnaire.made_default", obj=template, actor_user=by_user)


def _publish(visit_id: uuid.UUID, frame: dict[str, Any], *, staff_only: bool = False) -> None:
    group = events.staff_group(visit_id) if staff_only else events.visit_group(visit_id)
    events.publish_on_commit(group, events.frame_event(frame))


@transaction.atomic
def questionnaire_start(*, visit: Visit, by_user: User) -> Questionnaire:
    existing = Questionnaire.objects.filter(visit=visit).first()
    if existing is None:
        template = (
            QuestionnaireTemplate.objects.filter(process=visit.process, is_default=True)
            .order_by("id")
            .first()
        )
        version = template.latest_version() if template else None
        if version is None:
            raise NoTemplate("this process has no questionnaire template")
        existing = Questionnaire.objects.create(
            visit=visit,
            version=version,
            language=_start_language(version.definition["languages"], visit.resident_language),
        )
        audit(
            action="questionnaire.started",
            obj=existing,
            actor_user=by_user,
            visit_id=visit.id,
            template=version.template.code,
            number=version.number,
        )
    questionnaire_id = existing.id
    _publish(visit.id, {"type": "form-opened"})
    events.publish_on_commit(
        events.visit_group(visit.id),
        lambda: events.frame_event(payloads.state_frame(questionnaire_id)),
    )
    return existing


def _start_language(languages: dict[str, str], preferred: str) -> str:
    """The resident's language if the template has it, else the template's source language."""
    if preferred in languages:
        return preferred
    sources = sorted(code for code, kind in languages.items() if kind == "source")
    return (sources or sorted(languages))[0]


def _locked_questionnaire(questionnaire_id: uuid.UUID) -> Questionnaire:
    return (
        Questionnaire.objects.select_for_update()
        .select_related("version__template")
        .get(pk=questionnaire_id)
    )


def locked_for_answers() -> QuerySet[Any]:  # Questionnaire rows with `signed`
    """Questionnaires locked for an answer write, without their definition (a large JSON
    document), each annotated `signed` (one round trip less per keystroke)."""
    current_signature = Signature.objects.filter(
        questionnaire=OuterRef("pk"), superseded_at__isnull=True
    )
    return (
        Questionnaire.objects.select_for_update(of=("self",))
        .select_related("version")
        .only("id", "visit_id", "version__id", "version__created_at")
        .annotate(signed=Exists(current_signature))
    )


@transaction.atomic
def answer_save(
    *,
    questionnaire_id: uuid.UUID,
    participant: Participant,
    question_id: str,
    value: Any,
    base_version: int,
) -> Answer:
    """Save one answer. A write based on an older version of the field is refused (conflict),
    so two tabs resolve deterministically: the first write of each version wins."""
    if participant.role != ParticipantRole.RESIDENT:
        raise NotAllowedToAnswer("only the resident fills in the questionnaire")
    # Every few keystrokes land here: lock the row without loading the definition (a large JSON
    # document); its questions are parsed once per process (a version in use never changes).
    # The same query tells whether it is signed (one round trip less per keystroke).
    questionnaire = locked_for_answers().get(pk=questionnaire_id)
    cleaned = checked_answer(
        questionnaire.signed, selectors.version_questions(questionnaire.version), question_id, value
    )
    answer, _ = Answer.objects.get_or_create(questionnaire=questionnaire, question_id=question_id)
    if base_version != answer.version:
        raise AnswerConflict(answer)
    answer.value = cleaned
    answer.version += 1
    answer.updated_by = participant.id
    answer.save(update_fields=["value", "version", "updated_by", "updated_at"])
    _publish(questionnaire.visit_id, published_answer(answer))
    return answer


def checked_answer(signed: bool, questions: dict[str, Any], question_id: str, value: Any) -> Any:
    """The value to store for an answer to a questionnaire (signed or not), or the error."""
    if signed:
        raise FormLocked("the questionnaire is signed; it must be reopened first")
    question = questions.get(question_id)
    if question is None:
        raise AnswerInvalid("not_answerable")
    return clean_answer(question, value)


def published_answer(answer: Answer) -> dict[str, Any]:
    """The frame everyone in the call gets for a saved answer."""
    return {
        "type": "form-answer",
        "question": answer.question_id,
        "value": answer.value,
        "version": answer.version,
    }


@transaction.atomic
def questionnaire_set_language(*, questionnaire_id: uuid.UUID, language: str) -> None:
    questionnaire = _locked_questionnaire(questionnaire_id)
    languages = questionnaire.version.definition["languages"]
    if language not in languages:
        raise AnswerInvalid("option")
    questionnaire.language = language
    questionnaire.save(update_fields=["language"])
    _publish(questionnaire.visit_id, {"type": "form-language", "language": language})


def missing_required(definition: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    shown = visible_ids(definition, answers)
    return [
        q.id
        for q in questions(definition)
        if q.answerable and q.required and q.id in shown and is_empty(answers.get(q.id))
    ]


@transaction.atomic
def questionnaire_sign(
    *, questionnaire_id: uuid.UUID, participant: Participant, strokes: Any, png_base64: str
) -> Signature:
    if participant.role != ParticipantRole.RESIDENT:
        raise NotAllowedToAnswer("only the resident signs")
    questionnaire = _locked_questionnaire(questionnaire_id)
    if questionnaire.current_signature is not None:
        raise FormLocked("the questionnaire is already signed")
    definition = questionnaire.version.definition
    answers = selectors.answer_values(questionnaire)
    missing = missing_required(definition, answers)
    if missing:
        raise Incomplete(missing)
    png = decode_png(png_base64)
    signed_at = timezone.now()
    canonical = canonical_payload(
        visit_id=str(questionnaire.visit_id),
        template_code=questionnaire.version.template.code,
        version=questionnaire.version.number,
        answers=signed_answers(definition, answers),
        signed_at=signed_at,
    )
    signature = Signature.objects.create(
        questionnaire=questionnaire,
        signer=participant,
        strokes=check_strokes(strokes),
        png=png,
        canonical=canonical,
        sha256=sha256_hex(canonical),
        signed_at=signed_at,
    )
    audit(
        action="questionnaire.signed",
        obj=signature,
        actor_participant_id=participant.id,
        visit_id=questionnaire.visit_id,
        sha256=signature.sha256,
    )
    _publish(
        questionnaire.visit_id,
        {
            "type": "form-signed",
            "sha256": signature.sha256,
            "signedAt": signed_at.isoformat(),
        },
    )
    return signature


@transaction.atomic
def questionnaire_reopen(*, questionnaire_id: uuid.UUID, by_user: User) -> None:
    """Unlock for changes; the old signature is kept but no longer counts."""
    questionnaire = _locked_questionnaire(questionnaire_id)
    signature = questionnaire.current_signature
    if signature is None:
        return
    signature.superseded_at = timezone.now()
    signature.save(update_fields=["superseded_at"])
    audit(
        action="questionnaire.reopened",
        obj=questionnaire,
        actor_user=by_user,
        visit_id=questionnaire.visit_id,
        superseded=signature.sha256,
    )
    _publish(questionnaire.visit_id, {"type": "form-reopened"})


@transaction.atomic
def notes_save(*, questionnaire_id: uuid.UUID, text: str, by_user: User) -> None:
    questionnaire = _locked_questionnaire(questionnaire_id)
    if text.strip():  # emptying stores nothing; anything else needs the privacy officer's yes
        storage_require(questionnaire.visit.process_id, StorageKind.NOTES)
    questionnaire.notes = text
    questionnaire.save(update_fields=["notes"])
    _publish(questionnaire.visit_id, {"type": "form-notes", "text": text}, staff_only=True)
