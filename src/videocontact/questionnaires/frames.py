"""The live questionnaire's room frames (`form-*`) and the state a page gets on entering the call."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, StrictInt

from videocontact.questionnaires import payloads
from videocontact.questionnaires import selectors as form_selectors
from videocontact.questionnaires import services as form_services
from videocontact.questionnaires.answer_batch import AnswerWrite, NoQuestionnaire, answers_save
from videocontact.questionnaires.answers import AnswerInvalid
from videocontact.questionnaires.signing import SignatureInvalid
from videocontact.rooms.frames import (
    FrameContext,
    FrameError,
    InboundFrame,
    register,
    register_join_frames,
)
from videocontact.rooms.group_commit import group_write
from videocontact.rooms.selectors import current_of

AnswerValue = (
    Annotated[str, Field(max_length=5000)]
    | StrictBool
    | StrictInt
    | float
    | Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=64)]
    | None
)


class FormStart(InboundFrame):
    type: Literal["form-start"]


class FormAnswer(InboundFrame):
    type: Literal["form-answer"]
    question: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    value: AnswerValue
    base: Annotated[StrictInt, Field(ge=0)]


class FormLanguage(InboundFrame):
    type: Literal["form-language"]
    language: Literal["nl", "en", "ar", "tr", "pl", "uk", "fa", "so", "ti"]


class FormSign(InboundFrame):
    type: Literal["form-sign"]
    strokes: Annotated[list[list[list[float]]], Field(max_length=300)]
    png: Annotated[str, Field(max_length=200_000)]  # base64, about 150 KB of PNG


class FormReopen(InboundFrame):
    type: Literal["form-reopen"]


class FormNotes(InboundFrame):
    type: Literal["form-notes"]
    text: Annotated[str, Field(max_length=20_000)]


@register_join_frames
def form_state_frames(identity: Any) -> list[dict[str, Any]]:
    """The questionnaire as it stands, for a page that (re)joins the call."""
    questionnaire = form_selectors.questionnaire_for_visit(identity.participant.visit_id)
    if questionnaire is None:
        return []
    frames = [payloads.state_frame(questionnaire.id)]
    if identity.is_staff:
        frames.append({"type": "form-notes", "text": questionnaire.notes})
    return frames


def questionnaire_id(visit_id: uuid.UUID) -> uuid.UUID:
    found = form_selectors.questionnaire_id_for_visit(visit_id)
    if found is None:
        raise FrameError("no_form", "the questionnaire has not been started")
    return found


def _start(ctx: FrameContext) -> None:
    form_services.questionnaire_start(visit=ctx.participant.visit, by_user=ctx.user)


@register(FormStart, staff_only=True)
async def on_form_start(ctx: FrameContext, frame: FormStart) -> None:
    await ctx.run(_start, ctx)


def _answers(items: list[tuple[FrameContext, FormAnswer]]) -> list[Any]:
    """A batch of keystrokes (rooms/group_commit.py): one outcome per frame, in order."""
    # A socket that a reconnect of the same page superseded may still hold writes; they must not
    # land after the new socket's snapshot (an older answer would come back over a newer one).
    sockets = {(uuid.UUID(ctx.peer_id), ctx.channel_name) for ctx, _ in items}
    current = current_of(sockets)
    outcomes: list[Any] = []
    writes: list[AnswerWrite] = []
    for ctx, frame in items:
        if (uuid.UUID(ctx.peer_id), ctx.channel_name) not in current:
            outcomes.append(FrameError("superseded", "a newer connection of this page took over"))
            continue
        outcomes.append(None)  # filled in below
        writes.append(
            AnswerWrite(ctx.visit_id, ctx.participant, frame.question, frame.value, frame.base)
        )
    saved = iter(answers_save(writes))
    return [next(saved) if outcome is None else outcome for outcome in outcomes]


@register(FormAnswer)
async def on_form_answer(ctx: FrameContext, frame: FormAnswer) -> None:
    # Keystrokes of all the process's rooms share transactions (rooms/group_commit.py); the
    # answer is echoed (published) only after the commit that holds it.
    try:
        await group_write(_answers, (ctx, frame))
    except NoQuestionnaire as exc:
        raise FrameError("no_form", str(exc)) from exc
    except form_services.AnswerConflict as exc:
        current = {"value": exc.answer.value, "version": exc.answer.version}
        await ctx.send(
            {
                "type": "form-rejected",
                "question": frame.question,
                "code": "conflict",
                "current": current,
            }
        )
    except AnswerInvalid as exc:
        await ctx.send(
            {
                "type": "form-rejected",
                "question": frame.question,
                "code": exc.code,
                "message": exc.message,
            }
        )


def _language(ctx: FrameContext, language: str) -> None:
    try:
        form_services.questionnaire_set_language(
            questionnaire_id=questionnaire_id(ctx.visit_id), language=language
        )
    except AnswerInvalid as exc:
        raise FrameError("invalid", "the questionnaire is not available in that language") from exc


@register(FormLanguage)
async def on_form_language(ctx: FrameContext, frame: FormLanguage) -> None:
    await ctx.run(_language, ctx, frame.language)


def _sign(ctx: FrameContext, frame: FormSign) -> None:
    try:
        form_services.questionnaire_sign(
            questionnaire_id=questionnaire_id(ctx.visit_id),
            participant=ctx.participant,
            strokes=frame.strokes,
            png_base64=frame.png,
        )
    except SignatureInvalid as exc:
        raise FrameError("invalid", str(exc)) from exc


@register(FormSign)
async def on_form_sign(ctx: FrameContext, frame: FormSign) -> None:
    try:
        await ctx.run(_sign, ctx, frame)
    except form_services.Incomplete as exc:
        await ctx.send({"type": "form-incomplete", "missing": exc.missing})


def _reopen(ctx: FrameContext) -> None:
    form_services.questionnaire_reopen(
        questionnaire_id=questionnaire_id(ctx.visit_id), by_user=ctx.user
    )


@register(FormReopen, staff_only=True)
async def on_form_reopen(ctx: FrameContext, frame: FormReopen) -> None:
    await ctx.run(_reopen, ctx)


def _notes(ctx: FrameContext, text: str) -> None:
    form_services.notes_save(
        questionnaire_id=questionnaire_id(ctx.visit_id), text=text, by_user=ctx.user
    )


@register(FormNotes, staff_only=True)
async def on_form_notes(ctx: FrameContext, frame: FormNotes) -> None:
    await ctx.run(_notes, ctx, frame.text)
