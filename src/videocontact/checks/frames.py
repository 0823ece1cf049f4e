"""The location check's room frames (docs/protocol.md, "Location check")."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from videocontact.checks import services
from videocontact.rooms.frames import FrameContext, register
from videocontact.rooms.frames import InboundFrame as Frame


class LocationAsk(Frame):
    """Staff: ask the resident's page for its location, to compare with this address."""

    type: Literal["location-ask"]
    address: Annotated[str, Field(min_length=1, max_length=services.ADDRESS_MAX)]


class GeoPosition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
    accuracy: Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False)]


class LocationAnswer(Frame):
    """The resident's page: consent given or not; with consent a position or the browser's error."""

    type: Literal["location-answer"]
    check: uuid.UUID
    consent: StrictBool
    position: GeoPosition | None = None
    error: Literal["denied", "unavailable", "timeout", "unsupported"] | None = None

    @model_validator(mode="after")
    def consistent(self) -> LocationAnswer:
        if not self.consent and self.position is not None:
            raise ValueError("no position without consent")
        if self.position is not None and self.error is not None:
            raise ValueError("a position or an error, not both")
        return self


@register(LocationAsk, staff_only=True)
async def on_location_ask(ctx: FrameContext, frame: LocationAsk) -> None:
    await ctx.run(
        services.location_ask, visit_id=ctx.visit_id, by_user=ctx.user, address=frame.address
    )


@register(LocationAnswer)
async def on_location_answer(ctx: FrameContext, frame: LocationAnswer) -> None:
    position = None
    if frame.position is not None:
        position = services.Position(
            frame.position.lat, frame.position.lon, frame.position.accuracy
        )
    await ctx.run(
        services.location_answer,
        participant=ctx.participant,
        check_id=frame.check,
        consent=frame.consent,
        position=position,
        error=frame.error or "",
    )
