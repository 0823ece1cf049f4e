"""Room frames of the language app: the caseworker asks the resident's phone to read a question
aloud (`read-aloud`); live captions (`captions-*`, see captions.py)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool

from videocontact.language import captions
from videocontact.language.errors import LanguageError
from videocontact.language.stt import service as stt_service
from videocontact.rooms.frames import (
    FrameContext,
    FrameError,
    InboundFrame,
    register,
    register_join_frames,
)


class ReadAloud(InboundFrame):
    type: Literal["read-aloud"]
    to: uuid.UUID
    question: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


@register(ReadAloud, staff_only=True)
async def on_read_aloud(ctx: FrameContext, frame: ReadAloud) -> None:
    # The phone reads what it shows, in the questionnaire's language, with the server's voice
    # when there is one (form.js): nothing is spoken on the caseworker's side.
    await ctx.relay(frame.to, {"type": "read-aloud", "question": frame.question})


# Live captions --------------------------------------------------------------------------------

CaptionLanguage = Literal["nl", "en", "ar", "tr", "pl", "uk", "fa", "so", "ti"]


class CaptionsRequest(InboundFrame):
    type: Literal["captions-request"]
    language: CaptionLanguage = "nl"


class CaptionsConsent(InboundFrame):
    type: Literal["captions-consent"]
    session: uuid.UUID
    accept: StrictBool
    language: CaptionLanguage


class CaptionsStop(InboundFrame):
    type: Literal["captions-stop"]


class CaptionsLanguage(InboundFrame):
    type: Literal["captions-language"]
    language: CaptionLanguage


def _refusal(exc: LanguageError) -> FrameError:
    return FrameError(exc.code, exc.message)


@register(CaptionsRequest, staff_only=True)
async def on_captions_request(ctx: FrameContext, frame: CaptionsRequest) -> None:
    reason = await ctx.run(stt_service.unavailable_reason)
    if reason:
        raise FrameError("captions_unavailable", reason)
    try:
        await ctx.run(
            captions.captions_request, participant=ctx.participant, language=frame.language
        )
    except LanguageError as exc:
        raise _refusal(exc) from exc


@register(CaptionsConsent)
async def on_captions_consent(ctx: FrameContext, frame: CaptionsConsent) -> None:
    try:
        await ctx.run(
            captions.captions_consent,
            participant=ctx.participant,
            session_id=frame.session,
            accept=frame.accept,
            language=frame.language,
        )
    except LanguageError as exc:
        raise _refusal(exc) from exc


@register(CaptionsStop)
async def on_captions_stop(ctx: FrameContext, frame: CaptionsStop) -> None:
    await ctx.run(captions.captions_stop, participant=ctx.participant)


@register(CaptionsLanguage)
async def on_captions_language(ctx: FrameContext, frame: CaptionsLanguage) -> None:
    try:
        await ctx.run(
            captions.captions_language, participant=ctx.participant, language=frame.language
        )
    except LanguageError as exc:
        raise _refusal(exc) from exc
    await ctx.send({"type": "captions-language", "language": frame.language})


@register_join_frames
def captions_on_join(identity: Any) -> list[dict[str, Any]]:
    session = captions.current_session(identity.participant.visit_id)
    return [captions.state_frame(session)] if session is not None else []
