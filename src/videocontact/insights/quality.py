"""The call-quality report a browser sends every 10 s, and the score of a visit.

The report is validated strictly (unknown fields, wrong types and values outside a physical
range are refused) because it comes from a browser anybody can script."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, ValidationError

from videocontact.insights.errors import InvalidReport
from videocontact.rooms.frames import InboundFrame

REPORT_INTERVAL_SECONDS = 10
# 24 h of reports at one per 10 s: more from one participant is not a real call.
MAX_SAMPLES = 8640

Ms = Annotated[float, Field(ge=0, le=60_000, allow_inf_nan=False, strict=True)]
Count = Annotated[int, Field(ge=0, le=1000, strict=True)]


class StatsReport(InboundFrame):
    """One summary of this browser's RTCPeerConnections over the last interval (frame `stats`;
    unknown fields are refused by InboundFrame)."""

    type: Literal["stats"]
    rttMs: Ms | None = None
    jitterMs: Ms | None = None
    lossPct: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False, strict=True)] | None = None
    bitrateKbps: (
        Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False, strict=True)] | None
    ) = None
    width: Annotated[int, Field(ge=0, le=8192, strict=True)] | None = None
    height: Annotated[int, Field(ge=0, le=8192, strict=True)] | None = None
    fps: Annotated[float, Field(ge=0, le=240, allow_inf_nan=False, strict=True)] | None = None
    relay: StrictBool | None = None
    iceRestarts: Count = 0
    reconnects: Count = 0


def parse_report(raw: Any) -> StatsReport:
    """A validated report, or InvalidReport naming the first problem (never the value)."""
    if not isinstance(raw, dict):
        raise InvalidReport("a stats report is a JSON object")
    try:
        return StatsReport.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "report"
        raise InvalidReport(f"{where}: {first['msg']}") from None


@dataclass(frozen=True)
class Thresholds:
    """Where a call starts to feel bad (ITU-T G.114 for delay; common WebRTC practice else)."""

    rtt_ms: float = 300
    jitter_ms: float = 30
    loss_pct: float = 2
    fps: float = 15
    problem_score: int = 70


THRESHOLDS = Thresholds()


def participant_score(
    *,
    rtt_avg: float | None,
    jitter_avg: float | None,
    loss_avg: float | None,
    fps_avg: float | None,
    ice_restarts: int,
    reconnects: int,
) -> int:
    """0-100: start at 100 and take off points for each measure past its threshold."""
    t = THRESHOLDS
    penalty = 0.0
    if rtt_avg is not None and rtt_avg > t.rtt_ms:
        penalty += min(20.0, (rtt_avg - t.rtt_ms) / 20)
    if jitter_avg is not None and jitter_avg > t.jitter_ms:
        penalty += min(15.0, (jitter_avg - t.jitter_ms) / 2)
    if loss_avg is not None and loss_avg > t.loss_pct:
        penalty += min(30.0, (loss_avg - t.loss_pct) * 3)
    if fps_avg is not None and fps_avg < t.fps:
        penalty += min(15.0, (t.fps - fps_avg) * 1.5)
    penalty += min(20.0, ice_restarts * 10.0)
    penalty += min(20.0, reconnects * 5.0)
    return max(0, round(100 - penalty))
