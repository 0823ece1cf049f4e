"""Call quality: the `stats` frame is validated strictly and only adds to a per-participant
summary; hostile reports get an error frame and store nothing; the score per visit."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest
from channels.db import database_sync_to_async

from tests.rooms.conftest import Call
from videocontact.insights import services
from videocontact.insights.errors import InvalidReport
from videocontact.insights.models import QualitySummary
from videocontact.insights.quality import MAX_SAMPLES, parse_report, participant_score
from videocontact.visits.models import Participant, Visit, VisitStatus

GOOD = {
    "type": "stats",
    "rttMs": 40,
    "jitterMs": 5,
    "lossPct": 0.5,
    "bitrateKbps": 900,
    "width": 1280,
    "height": 720,
    "fps": 30,
    "relay": False,
    "iceRestarts": 0,
    "reconnects": 0,
}

HOSTILE: list[Any] = [
    {**GOOD, "rttMs": "40"},
    {**GOOD, "rttMs": True},
    {**GOOD, "rttMs": -1},
    {**GOOD, "rttMs": 1e12},
    {**GOOD, "lossPct": 101},
    {**GOOD, "width": 1.5},
    {**GOOD, "width": 100000},
    {**GOOD, "fps": 10000},
    {**GOOD, "relay": "yes"},
    {**GOOD, "iceRestarts": -3},
    {**GOOD, "reconnects": 10**9},
    {**GOOD, "raw": [1, 2, 3]},
    {**GOOD, "sdp": "v=0..."},
    {**GOOD, "v": 2},
    {**GOOD, "rttMs": {"$gt": 0}},
    [GOOD],
    "stats",
    None,
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_reports_are_refused(payload: Any) -> None:
    with pytest.raises(InvalidReport):
        parse_report(payload)


def test_nan_and_infinity_are_refused() -> None:
    for value in (math.nan, math.inf):
        with pytest.raises(InvalidReport):
            parse_report({**GOOD, "jitterMs": value})


def test_a_partial_report_is_fine() -> None:
    report = parse_report({"type": "stats", "rttMs": 12.5})
    assert report.rttMs == 12.5 and report.fps is None


@pytest.mark.django_db
def test_reports_add_up_per_participant(visit: Visit, resident: Participant) -> None:
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.ACTIVE)
    for rtt, loss, fps, restarts in [(40, 0, 30, 0), (400, 10, 12, 1), (100, 2, 24, 1)]:
        services.quality_ingest(
            participant_id=resident.id,
            report=parse_report(
                {
                    **GOOD,
                    "rttMs": rtt,
                    "lossPct": loss,
                    "fps": fps,
                    "iceRestarts": restarts,
                    "relay": rtt == 400,
                }
            ),
        )
    s = QualitySummary.objects.get(participant=resident)
    assert s.samples == 3
    assert (s.rtt_sum_ms, s.rtt_max_ms) == (540, 400)
    assert (s.loss_sum_pct, s.loss_max_pct) == (12, 10)
    assert (s.fps_sum, s.fps_min) == (66, 12)
    assert (s.relay_samples, s.ice_restarts, s.max_width) == (1, 1, 1280)


@pytest.mark.django_db
def test_reports_of_a_closed_visit_or_beyond_the_cap_are_dropped(
    visit: Visit, resident: Participant
) -> None:
    report = parse_report(GOOD)
    assert services.quality_ingest(participant_id=resident.id, report=report) is None  # planned
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.ACTIVE)
    summary = services.quality_ingest(participant_id=resident.id, report=report)
    assert summary is not None
    QualitySummary.objects.filter(pk=summary.pk).update(samples=MAX_SAMPLES)
    assert services.quality_ingest(participant_id=resident.id, report=report) is None
    assert QualitySummary.objects.get(pk=summary.pk).samples == MAX_SAMPLES


def test_score() -> None:
    perfect = dict(rtt_avg=40, jitter_avg=5, loss_avg=0, fps_avg=30, ice_restarts=0, reconnects=0)
    assert participant_score(**perfect) == 100
    assert participant_score(**{**perfect, "loss_avg": 7}) == 85  # (7 - 2) * 3 off
    assert participant_score(**{**perfect, "rtt_avg": 700}) == 80  # capped at 20
    assert participant_score(**{**perfect, "ice_restarts": 1, "reconnects": 2}) == 80
    worst = dict(rtt_avg=9000, jitter_avg=900, loss_avg=90, fps_avg=0, ice_restarts=9, reconnects=9)
    assert participant_score(**worst) == 0


# Over the room socket ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_stats_frames_are_aggregated(call: Call, resident: Participant) -> None:
    staff, res = call
    await res.send(GOOD)
    await res.send({**GOOD, "rttMs": 60})
    await staff.send({**GOOD, "rttMs": 20})
    expected = {res.participant_id: (2, 100), staff.participant_id: (1, 20)}

    def read() -> dict[str, tuple[int, float]]:
        return {
            str(s.participant_id): (s.samples, s.rtt_sum_ms) for s in QualitySummary.objects.all()
        }

    # Frames that write go through the socket's ordered lane (a ping is answered at once), so
    # wait for the reports to land rather than for a pong.
    summaries: dict[str, tuple[int, float]] = {}
    for _ in range(100):
        summaries = await database_sync_to_async(read)()
        if summaries == expected:
            break
        await asyncio.sleep(0.05)
    assert summaries == expected


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("payload", HOSTILE[:15])
async def test_hostile_stats_frames_get_an_error_and_store_nothing(
    call: Call, payload: dict[str, Any]
) -> None:
    _, res = call
    await res.send(payload)
    refused = await res.expect("error")
    assert refused["code"] in {"invalid", "unsupported_version"}, refused
    await res.ping()  # the socket stays open
    assert await database_sync_to_async(QualitySummary.objects.count)() == 0


@pytest.mark.django_db(transaction=True)
async def test_a_waiting_participant_cannot_report(room, visit: Visit, resident_key: str) -> None:
    waiting = room(visit.id, resident_key)
    welcome = await waiting.join()
    assert welcome["state"] == "waiting"
    await waiting.send(GOOD)
    await waiting.expect_error("forbidden")
    assert await database_sync_to_async(QualitySummary.objects.count)() == 0
