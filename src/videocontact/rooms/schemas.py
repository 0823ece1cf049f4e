"""Schemas for every inbound room frame (protocol v1, docs/protocol.md). Unknown fields are refused."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    TypeAdapter,
    model_validator,
)

Short = Annotated[str, Field(max_length=64)]


class Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    v: Literal[1] = 1
    ref: Short | None = None


class Ping(Frame):
    type: Literal["ping"]


class SessionDescription(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["offer", "answer", "pranswer", "rollback"]
    sdp: Annotated[str, Field(max_length=60_000)] = ""


class IceCandidate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    candidate: Annotated[str, Field(max_length=2_000)]
    sdpMid: Annotated[str, Field(max_length=64)] | None = None
    sdpMLineIndex: Annotated[StrictInt, Field(ge=0, le=64)] | None = None
    usernameFragment: Annotated[str, Field(max_length=256)] | None = None


class Signal(Frame):
    type: Literal["signal"]
    to: uuid.UUID
    description: SessionDescription | None = None
    candidate: IceCandidate | None = None

    @model_validator(mode="after")
    def one_payload(self) -> Signal:
        has_description = self.description is not None
        if has_description and "candidate" in self.model_fields_set:
            raise ValueError("send either description or candidate, not both")
        if not has_description and "candidate" not in self.model_fields_set:
            raise ValueError("description or candidate is required")
        return self


class Media(Frame):
    type: Literal["media"]
    audio: StrictBool  # JSON true/false only: no "yes", 1 or "false"
    video: StrictBool
    facing: Literal["user", "environment"] | None = None


class Admit(Frame):
    type: Literal["admit"]
    participant: uuid.UUID


class Deny(Frame):
    type: Literal["deny"]
    participant: uuid.UUID


class Command(Frame):
    """A request to the other person's page, which asks them before it acts."""

    type: Literal["command"]
    to: uuid.UUID
    id: Short
    name: Literal["switch-camera", "torch", "zoom"]
    facing: Literal["user", "environment"] | None = None  # switch-camera
    torch: StrictBool | None = None  # torch
    zoom: Annotated[float, Field(gt=0, le=100)] | None = None  # zoom

    @model_validator(mode="after")
    def fields_of_name(self) -> Command:
        needed = {"switch-camera": "facing", "torch": "torch", "zoom": "zoom"}[self.name]
        for field in ("facing", "torch", "zoom"):
            present = getattr(self, field) is not None
            if field == needed and not present:
                raise ValueError(f"{self.name} needs '{field}'")
            if field != needed and present:
                raise ValueError(f"'{field}' does not belong to {self.name}")
        return self


class CommandResult(Frame):
    type: Literal["command-result"]
    to: uuid.UUID
    id: Short
    ok: StrictBool
    code: Annotated[str, Field(pattern=r"^[a-z_]{1,40}$")] | None = None  # why it failed


class PhotoTake(Frame):
    """Staff: take a photo with the resident's camera (evidence.services.photo_request_create)."""

    type: Literal["photo-take"]
    participant: uuid.UUID


class ZoomRange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: Annotated[float, Field(gt=0, le=100)]
    max: Annotated[float, Field(gt=0, le=100)]
    step: Annotated[float, Field(ge=0, le=100)] = 0

    @model_validator(mode="after")
    def ordered(self) -> ZoomRange:
        if self.min > self.max:
            raise ValueError("min must not be above max")
        return self


class CameraCaps(Frame):
    """What the sender's camera track can do (torch, zoom), for the caseworker's controls."""

    type: Literal["camera-caps"]
    torch: StrictBool
    zoom: ZoomRange | None = None


class IceRefresh(Frame):
    type: Literal["ice-refresh"]


class Leave(Frame):
    type: Literal["leave"]


class End(Frame):
    type: Literal["end"]


class FormStart(Frame):
    type: Literal["form-start"]


AnswerValue = (
    Annotated[str, Field(max_length=5000)]
    | StrictBool
    | StrictInt
    | float
    | Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=64)]
    | None
)


class FormAnswer(Frame):
    type: Literal["form-answer"]
    question: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    value: AnswerValue
    base: Annotated[StrictInt, Field(ge=0)]


class FormLanguage(Frame):
    type: Literal["form-language"]
    language: Literal["nl", "en", "ar", "tr", "pl", "uk"]


class FormSign(Frame):
    type: Literal["form-sign"]
    strokes: Annotated[list[list[list[float]]], Field(max_length=300)]
    png: Annotated[str, Field(max_length=200_000)]  # base64, about 150 KB of PNG


class FormReopen(Frame):
    type: Literal["form-reopen"]


class FormNotes(Frame):
    type: Literal["form-notes"]
    text: Annotated[str, Field(max_length=20_000)]


InboundFrame = Annotated[
    Ping
    | Signal
    | Media
    | Admit
    | Deny
    | Command
    | CommandResult
    | IceRefresh
    | Leave
    | End
    | FormStart
    | FormAnswer
    | FormLanguage
    | FormSign
    | FormReopen
    | FormNotes
    | PhotoTake
    | CameraCaps,
    Field(discriminator="type"),
]
inbound_adapter: TypeAdapter[InboundFrame] = TypeAdapter(InboundFrame)

KNOWN_TYPES = frozenset(
    {
        "ping",
        "signal",
        "media",
        "admit",
        "deny",
        "command",
        "command-result",
        "ice-refresh",
        "leave",
        "end",
        "form-start",
        "form-answer",
        "form-language",
        "form-sign",
        "form-reopen",
        "form-notes",
        "photo-take",
        "camera-caps",
    }
)
STAFF_ONLY = frozenset(
    {"admit", "deny", "command", "end", "form-start", "form-reopen", "form-notes", "photo-take"}
)
FORM_TYPES = frozenset(
    {"form-start", "form-answer", "form-language", "form-sign", "form-reopen", "form-notes"}
)
ADMITTED_ONLY = frozenset(
    {"signal", "media", "command", "command-result", "ice-refresh", "photo-take", "camera-caps"}
) | (FORM_TYPES)
