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
    type: Literal["command"]
    to: uuid.UUID
    id: Short
    name: Literal["switch-camera"]
    facing: Literal["user", "environment"]


class CommandResult(Frame):
    type: Literal["command-result"]
    to: uuid.UUID
    id: Short
    ok: StrictBool


class IceRefresh(Frame):
    type: Literal["ice-refresh"]


class Leave(Frame):
    type: Literal["leave"]


class End(Frame):
    type: Literal["end"]


InboundFrame = Annotated[
    Ping | Signal | Media | Admit | Deny | Command | CommandResult | IceRefresh | Leave | End,
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
    }
)
STAFF_ONLY = frozenset({"admit", "deny", "command", "end"})
ADMITTED_ONLY = frozenset({"signal", "media", "command", "command-result", "ice-refresh"})
