"""/readyz with real dependencies: the database, a real Redis (a private redis-server that is
stopped for the failure case) and the job worker's heartbeat (the real worker loop)."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.net import free_port
from videocontact.jobs.models import WorkerHeartbeat
from videocontact.jobs.services import worker_heartbeat
from videocontact.jobs.worker import run_forever

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_redis(tmp_path: Any) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 5
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout != (
        b"PONG\n"
    ):
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    yield url, proc
    proc.kill()
    proc.wait()


def use_redis_layer(settings: Any, url: str) -> None:
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    layers["default"] = {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [{"address": url}], "prefix": "vctest-readyz"},
    }
    settings.CHANNEL_LAYERS = layers


def test_ready_with_database_redis_and_a_live_worker(
    client: Client, settings: Any, private_redis: tuple[str, Any]
) -> None:
    use_redis_layer(settings, private_redis[0])
    worker_heartbeat(worker_id="w1")
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "redis", "job_worker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["job_worker"]["heartbeat_age_s"] < 5
    assert "no-cache" in response["Cache-Control"]


def test_a_stopped_redis_is_not_ready_with_the_reason(
    client: Client, settings: Any, private_redis: tuple[str, Any]
) -> None:
    url, proc = private_redis
    use_redis_layer(settings, url)
    worker_heartbeat(worker_id="w1")
    proc.terminate()
    proc.wait()
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 3  # a short timeout, not a hanging probe
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"]["ok"] is False
    assert "redis did not answer" in checks["redis"]["reason"]
    assert checks["database"]["ok"] is True and checks["job_worker"]["ok"] is True
    assert url not in response.content.decode()  # no address nor password in the answer


def test_in_memory_layer_skips_redis(client: Client, settings: Any) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    worker_heartbeat(worker_id="w1")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"]["skipped"] == "in-memory channel layer"


def test_no_worker_and_a_stale_worker_are_not_ready(client: Client, settings: Any) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["job_worker"] == {
        "ok": False,
        "reason": "no job worker has reported",
        "ms": response.json()["checks"]["job_worker"]["ms"],
    }
    old = timezone.now() - timedelta(seconds=settings.JOBS_WORKER_STALE_SECONDS + 30)
    WorkerHeartbeat.objects.create(worker_id="dead:1", heartbeat_at=old)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "heartbeat is 90 s old" in response.json()["checks"]["job_worker"]["reason"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_loop_beats_while_idle_and_clears_its_row_on_stop(
    client: Client, settings: Any
) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    settings.JOBS_HEARTBEAT_SECONDS = 0.2
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(stop, 0.05), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not WorkerHeartbeat.objects.filter(worker_id__endswith=f":{os.getpid()}").exists():
            assert time.monotonic() < deadline, "the worker wrote no heartbeat"
            time.sleep(0.05)
        first = WorkerHeartbeat.objects.get().heartbeat_at
        time.sleep(0.5)
        assert WorkerHeartbeat.objects.get().heartbeat_at > first  # idle, and still beating
        assert client.get("/readyz").status_code == 200
    finally:
        stop.set()
        thread.join(5)
    assert not WorkerHeartbeat.objects.exists()
    assert client.get("/readyz").status_code == 503
