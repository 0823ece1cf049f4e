"""The room's own frames: keep-alive, signalling, media state, admission, commands, leaving."""

from __future__ import annotations

import uuid
from typing import Any

from videocontact.rooms import services as room_services
from videocontact.rooms.devices import new_device_admit, new_device_deny, pending_device
from videocontact.rooms.frames import FrameContext, FrameError, register
from videocontact.rooms.ice import ice_servers_for, ice_transport_policy
from videocontact.rooms.schemas import (
    Admit,
    Command,
    CommandResult,
    Deny,
    End,
    IceRefresh,
    Leave,
    Media,
    Network,
    Ping,
    Signal,
)
from videocontact.rooms.signals import command_failed
from videocontact.visits import services as visit_services
from videocontact.visits.selectors import participant_in_visit


def ice_payload(peer_id: str) -> dict[str, Any]:
    return {"iceServers": ice_servers_for(peer_id), "iceTransportPolicy": ice_transport_policy()}


@register(Ping, admitted_only=False, inline=True)
async def on_ping(ctx: FrameContext, frame: Ping) -> None:
    # No database write: this process's heartbeat keeps its connections fresh (liveness.py).
    await ctx.send({"type": "pong"})


@register(Signal, inline=True)
async def on_signal(ctx: FrameContext, frame: Signal) -> None:
    out: dict[str, Any] = {"type": "signal"}
    if frame.description is not None:
        out["description"] = frame.description.model_dump()
    elif frame.keyframe:
        out["keyframe"] = True
    else:
        out["candidate"] = frame.candidate.model_dump() if frame.candidate else None
    await ctx.relay(frame.to, out)


@register(Media)
async def on_media(ctx: FrameContext, frame: Media) -> None:
    await ctx.run(
        room_services.connection_set_media,
        peer_id=uuid.UUID(ctx.peer_id),
        audio=frame.audio,
        video=frame.video,
        facing=frame.facing,
    )


@register(Network)
async def on_network(ctx: FrameContext, frame: Network) -> None:
    """Relayed to the staff of the call (they see who is audio-only because of a weak network);
    not stored. The page sends it again when the set of peers changes."""
    await ctx.send_to_staff(
        {
            "type": "network",
            "mode": frame.mode,
            "participantId": str(ctx.participant.id),
            "from": ctx.peer_id,
        }
    )


def _admit_or_deny(ctx: FrameContext, participant_id: uuid.UUID, *, admit: bool) -> None:
    target = participant_in_visit(ctx.visit_id, participant_id)
    if target is None:
        raise FrameError("unknown_participant", "no such participant in this visit")
    if pending_device(target) is not None:  # a forwarded link's browser waits: decide on it
        device_service = new_device_admit if admit else new_device_deny
        device_service(participant=target, by_user=ctx.user)
        return
    service = visit_services.participant_admit if admit else visit_services.participant_deny
    service(participant=target, by_user=ctx.user)


@register(Admit, staff_only=True, admitted_only=False)
async def on_admit(ctx: FrameContext, frame: Admit) -> None:
    await ctx.run(_admit_or_deny, ctx, frame.participant, admit=True)


@register(Deny, staff_only=True, admitted_only=False)
async def on_deny(ctx: FrameContext, frame: Deny) -> None:
    await ctx.run(_admit_or_deny, ctx, frame.participant, admit=False)


@register(Command, staff_only=True, inline=True)
async def on_command(ctx: FrameContext, frame: Command) -> None:
    out = frame.model_dump(include={"id", "name", "facing", "torch", "zoom"}, exclude_none=True)
    await ctx.relay(frame.to, {"type": "command", **out})


@register(CommandResult)
async def on_command_result(ctx: FrameContext, frame: CommandResult) -> None:
    ctx.target_peer(frame.to)  # refuse an unknown peer before anything happens
    if not frame.ok:
        await ctx.run(
            command_failed.send,
            sender=on_command_result,
            command_id=frame.id,
            participant=ctx.participant,
            code=frame.code or "",
        )
    out = frame.model_dump(include={"id", "ok", "code"}, exclude_none=True)
    await ctx.relay(frame.to, {"type": "command-result", **out})


@register(IceRefresh, inline=True)
async def on_ice_refresh(ctx: FrameContext, frame: IceRefresh) -> None:
    await ctx.send({"type": "ice-servers", **ice_payload(ctx.peer_id)})


@register(Leave, admitted_only=False)
async def on_leave(ctx: FrameContext, frame: Leave) -> None:
    await ctx.run(visit_services.participant_leave, participant=ctx.participant)
    await ctx.close(1000)


def _end(ctx: FrameContext) -> None:
    visit_services.visit_end(visit=ctx.participant.visit, by_user=ctx.user)


@register(End, staff_only=True, admitted_only=False)
async def on_end(ctx: FrameContext, frame: End) -> None:
    await ctx.run(_end, ctx)
