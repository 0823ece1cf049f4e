"""Room frames of the language app: the caseworker asks the resident's phone to read a question
aloud (`read-aloud`); live captions (`captions-*`, see captions.py)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import Field

from videocontact.rooms.frames import FrameContext, InboundFrame, register


class ReadAloud(InboundFrame):
    type: Literal["read-aloud"]
    to: uuid.UUID
    question: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


@register(ReadAloud, staff_only=True)
async def on_read_aloud(ctx: FrameContext, frame: ReadAloud) -> None:
    # The phone reads what it shows, in the questionnaire's language, with the server's voice
    # when there is one (form.js): nothing is spoken on the caseworker's side.
    await ctx.relay(frame.to, {"type": "read-aloud", "question": frame.question})
