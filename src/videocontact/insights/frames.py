"""Insights' room frame: `stats`, the browser's call-quality summary every 10 s."""

from __future__ import annotations

from videocontact.insights import services
from videocontact.insights.quality import StatsReport
from videocontact.rooms.frames import FrameContext, register


@register(StatsReport, staff_only=False, admitted_only=True)
async def on_stats(ctx: FrameContext, frame: StatsReport) -> None:
    """Validated by the schema (ranges, types, no extra fields); only adds to the summary."""
    await ctx.run(services.quality_ingest, participant_id=ctx.participant.id, report=frame)
