"""Evidence's room frames: the caseworker takes a photo; the resident's camera says what it can do."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from django.dispatch import receiver
from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from videocontact.evidence import services as evidence_services
from videocontact.rooms.frames import FrameContext, register
from videocontact.rooms.frames import InboundFrame as Frame
from videocontact.rooms.signals import command_failed


class PhotoTake(Frame):
    """Staff: take a photo with the resident's camera (evidence.services.photo_request_create)."""

    type: Literal["photo-take"]
    participant: uuid.UUID
    # A photo question of the questionnaire that this photo answers (its id in the definition).
    question: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")] | None = None
    # "id-document": the DPIA-gated identity document check (watermarked, maskable; idcheck.py).
    kind: Literal["photo", "id-document"] = "photo"


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


@register(PhotoTake, staff_only=True)
async def on_photo_take(ctx: FrameContext, frame: PhotoTake) -> None:
    await ctx.run(
        evidence_services.photo_request_create,
        visit_id=ctx.visit_id,
        by_user=ctx.user,
        target_id=frame.participant,
        from_peer=ctx.peer_id,
        question_id=frame.question or "",
        kind=frame.kind,
    )


@register(CameraCaps)
async def on_camera_caps(ctx: FrameContext, frame: CameraCaps) -> None:
    """Relayed to the staff of the call, as it is (nothing is stored)."""
    caps: dict[str, Any] = frame.model_dump(include={"torch", "zoom"})
    caps.update(type="camera-caps", participantId=str(ctx.participant.id))
    caps["from"] = ctx.peer_id
    await ctx.send_to_staff(caps)


@receiver(command_failed)
def close_photo_request(
    sender: Any, *, command_id: str, participant: Any, code: str, **_: Any
) -> None:
    """A failed take-photo command (its id is the photo request's id) closes the request."""
    try:
        request_id = uuid.UUID(command_id)
    except ValueError:
        return
    evidence_services.photo_request_fail(request_id=request_id, participant=participant, code=code)
