"""Many answers in one go: the live questionnaire's keystrokes of a whole server process, as the
group commit (rooms/group_commit.py) hands them over.

Each write means exactly what `services.answer_save` means (the same checks, in the same order,
with the same errors; a write based on another version of its field is a conflict), and the
writes are applied in the order given, so two writes to one field in one batch build on each
other as they would one after the other. What differs is the cost: the batch locks its
questionnaires in one query (in the order of their visits, so two processes' batches never
deadlock), reads their answers in one more, and writes them in at most two."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.db.models import Field
from django.utils import timezone

from videocontact.questionnaires import selectors
from videocontact.questionnaires.answers import AnswerInvalid
from videocontact.questionnaires.models import Answer, Questionnaire
from videocontact.questionnaires.services import (
    AnswerConflict,
    NotAllowedToAnswer,
    QuestionnaireError,
    checked_answer,
    locked_for_answers,
    published_answer,
)
from videocontact.rooms import events
from videocontact.visits.models import Participant, ParticipantRole


class NoQuestionnaire(QuestionnaireError):
    code = "no_form"


@dataclass(frozen=True)
class AnswerWrite:
    visit_id: uuid.UUID
    participant: Participant
    question_id: str
    value: Any
    base_version: int


Outcome = Answer | QuestionnaireError | AnswerInvalid


def _locked(visit_ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[Questionnaire, bool]]:
    """The visits' questionnaires, locked, and whether each is signed."""
    rows = locked_for_answers().filter(visit_id__in=visit_ids).order_by("visit_id")
    return {q.visit_id: (q, q.signed) for q in rows}


def answers_save(writes: Sequence[AnswerWrite]) -> list[Outcome]:
    """Save the answers in order; one outcome per write: its saved answer (as that write left it)
    or its error. The caller commits (the group commit's transaction); each saved answer is
    published after that commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("answers_save runs inside the caller's transaction")
    residents = [w for w in writes if w.participant.role == ParticipantRole.RESIDENT]
    locked = _locked({w.visit_id for w in residents}) if residents else {}
    rows: dict[tuple[uuid.UUID, str], Answer] = {}
    if locked:
        stored = Answer.objects.filter(
            questionnaire__in=[q.id for q, _ in locked.values()],
            question_id__in={w.question_id for w in residents},
        )
        rows = {(a.questionnaire_id, a.question_id): a for a in stored}
    outcomes: list[Outcome] = []
    changed: dict[tuple[uuid.UUID, str], Answer] = {}
    frames: list[tuple[uuid.UUID, dict[str, Any]]] = []
    for write in writes:
        try:
            answer = _apply(write, locked, rows)
        except (QuestionnaireError, AnswerInvalid) as exc:
            outcomes.append(exc)
            continue
        changed[(answer.questionnaire_id, answer.question_id)] = answer
        outcomes.append(copy.copy(answer))
        frames.append((write.visit_id, published_answer(answer)))
    now = timezone.now()
    new = [a for a in changed.values() if a._state.adding]
    existing = [a for a in changed.values() if not a._state.adding]
    for answer in changed.values():
        answer.updated_at = now
    if new:
        Answer.objects.bulk_create(new)
    if existing:
        _update(existing)
    events.publish_all_on_commit(
        [(events.visit_group(visit_id), events.frame_event(frame)) for visit_id, frame in frames]
    )
    return outcomes


UPDATED = ("value", "version", "updated_by", "updated_at")


def _update(answers: list[Answer]) -> None:
    """One UPDATE for the batch. On PostgreSQL from a VALUES list: Django's `bulk_update` builds
    a CASE expression per field and row in Python, which cost more than the rest of the batch."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        Answer.objects.bulk_update(answers, UPDATED)
        return
    fields = [cast("Field[Any, Any]", Answer._meta.get_field(name)) for name in UPDATED]
    params: list[Any] = []
    for answer in answers:
        params.append(answer.pk)
        params.extend(f.get_db_prep_save(getattr(answer, f.attname), connection) for f in fields)
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(answers))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Answer._meta.db_table} AS a SET value = v.value::jsonb,"  # noqa: S608
            " version = v.version::integer, updated_by = v.updated_by::uuid,"
            " updated_at = v.updated_at::timestamptz"
            f" FROM (VALUES {rows}) AS v(id, value, version, updated_by, updated_at)"
            " WHERE a.id = v.id::bigint",
            params,
        )


def _apply(
    write: AnswerWrite,
    locked: dict[uuid.UUID, tuple[Questionnaire, bool]],
    rows: dict[tuple[uuid.UUID, str], Answer],
) -> Answer:
    if write.participant.role != ParticipantRole.RESIDENT:
        raise NotAllowedToAnswer("only the resident fills in the questionnaire")
    if write.visit_id not in locked:
        raise NoQuestionnaire("the questionnaire has not been started")
    questionnaire, signed = locked[write.visit_id]
    cleaned = checked_answer(
        signed,
        selectors.version_questions(questionnaire.version),
        write.question_id,
        write.value,
    )
    key = (questionnaire.id, write.question_id)
    answer = rows.get(key)
    if answer is None:  # as get_or_create would make it (and roll it back on a conflict)
        answer = Answer(questionnaire=questionnaire, question_id=write.question_id)
    if write.base_version != answer.version:
        raise AnswerConflict(copy.copy(answer))
    rows[key] = answer
    answer.value = cleaned
    answer.version += 1
    answer.updated_by = write.participant.id
    return answer
