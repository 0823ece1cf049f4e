"""Schemas of the room's own inbound frames (protocol v1, docs/protocol.md): signalling, presence,
admission, commands. Feature apps declare theirs in their own `frames.py`. Unknown fields are refused."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from videocontact.rooms.frames import InboundFrame as Frame
from videocontact.rooms.frames import Short


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
    # The receiver gets packets but cannot decode them (after a path change): a key frame, please.
    keyframe: Literal[True] | None = None

    @model_validator(mode="after")
    def one_payload(self) -> Signal:
        given = [
            self.description is not None,
            "candidate" in self.model_fields_set,
            self.keyframe is not None,
        ]
        if sum(given) != 1:
            raise ValueError("send exactly one of description, candidate or keyframe")
        return self


class Media(Frame):
    type: Literal["media"]
    audio: StrictBool  # JSON true/false only: no "yes", 1 or "false"
    video: StrictBool
    facing: Literal["user", "environment"] | None = None


class Network(Frame):
    """The sender's page adapted to its network (js/weak-network.js): it sends audio only because
    the connection is too weak for video, or video again once the connection recovered."""

    type: Literal["network"]
    mode: Literal["audio-only", "video"]


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


class IceRefresh(Frame):
    type: Literal["ice-refresh"]


class Leave(Frame):
    type: Literal["leave"]


class End(Frame):
    type: Literal["end"]
