"""/metrics: off without a token, refused with a wrong one, and the figures are right."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from videocontact.core import metrics as process_metrics
from videocontact.jobs.models import Job, JobState, WorkerHeartbeat
from videocontact.rooms.models import RoomConnection
from videocontact.visits.models import Visit

TOKEN = "metrics-test-token"


@pytest.fixture
def scrape(client: Client, settings: Any) -> Any:
    settings.METRICS_TOKEN = TOKEN

    def get() -> dict[str, float]:
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        values: dict[str, float] = {}
        for line in response.content.decode().splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                values[name] = float(value)
        return values

    return get


def test_off_without_a_token(client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404


def test_a_wrong_token_is_refused(client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_rooms_connections_and_jobs(scrape: Any, visit: Visit) -> None:
    RoomConnection.objects.create(participant=factories.resident_of(visit), channel_name="a")
    now = timezone.now()
    Job.objects.create(kind="x.y", payload={}, run_at=now - timedelta(seconds=90))
    Job.objects.create(kind="x.z", payload={}, run_at=now + timedelta(hours=1))
    Job.objects.create(kind="x.w", payload={}, run_at=now, state=JobState.FAILED)
    values = scrape()
    assert values["ovc_rooms_active"] == 1
    assert values["ovc_room_connections"] == 1
    assert values["ovc_jobs_due"] == 1
    assert 89 <= values["ovc_jobs_oldest_due_seconds"] < 200
    assert values["ovc_jobs_failed"] == 1
    assert values["ovc_exports_failed"] == 0
    assert values["ovc_jobs_worker_heartbeat_age_seconds"] == -1
    WorkerHeartbeat.objects.create(worker_id="w", heartbeat_at=now - timedelta(seconds=20))
    assert 19 <= scrape()["ovc_jobs_worker_heartbeat_age_seconds"] < 60


def test_process_counters_are_exported(scrape: Any, db: None) -> None:
    process_metrics.FRAMES.labels("ping", "ok").inc()
    values = scrape()
    assert values['ovc_room_frames_total{outcome="ok",type="ping"}'] >= 1
    assert "ovc_websockets_open" in values


def test_caption_workers_are_counted(scrape: Any, db: None) -> None:
    values = scrape()
    assert values['ovc_caption_workers{state="started"}'] == 0  # no captioned call yet
    assert values['ovc_caption_workers{state="alive"}'] == 0
