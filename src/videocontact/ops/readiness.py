"""/readyz: may this instance take traffic? The database answers a query, the channel layer's
Redis answers a PING, and a job worker has written a heartbeat recently. 200 with each check,
or 503 with the failing ones. No personal data: only check names, timings and reasons."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from videocontact.jobs.selectors import worker_last_heartbeat

REDIS_TIMEOUT_SECONDS = 1.0


class NotReady(Exception):
    """A check failed; the message is the reason shown (never a secret nor personal data)."""


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def channel_layer_redis() -> str | None:
    """The Redis address of the default channel layer (None with the in-memory layer)."""
    layer: dict[str, Any] = settings.CHANNEL_LAYERS.get("default", {})
    hosts = layer.get("CONFIG", {}).get("hosts")  # the Redis layers (pub/sub and list-based)
    if not hosts:
        return None
    host = hosts[0]
    address = host.get("address") if isinstance(host, dict) else host
    return address if isinstance(address, str) else None


def check_redis() -> dict[str, Any]:
    address = channel_layer_redis()
    if address is None:
        return {"skipped": "in-memory channel layer"}
    client = redis.Redis.from_url(
        address,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        retry_on_timeout=False,
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        raise NotReady(f"redis did not answer: {type(exc).__name__}") from exc
    finally:
        client.close()
    return {}


def check_job_worker() -> dict[str, Any]:
    newest = worker_last_heartbeat()
    if newest is None:
        raise NotReady("no job worker has reported")
    age = (timezone.now() - newest).total_seconds()
    if age > settings.JOBS_WORKER_STALE_SECONDS:
        raise NotReady(f"the newest job worker heartbeat is {age:.0f} s old")
    return {"heartbeat_age_s": round(age, 1)}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": check_database,
    "redis": check_redis,
    "job_worker": check_job_worker,
}


def run_checks() -> tuple[bool, dict[str, dict[str, Any]]]:
    results: dict[str, dict[str, Any]] = {}
    ready = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = {"ok": True, **check()}
        except NotReady as exc:
            result = {"ok": False, "reason": str(exc)}
        except Exception as exc:  # a broken dependency must give 503, never a 500
            result = {"ok": False, "reason": f"{name} failed: {type(exc).__name__}"}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
        ready = ready and result["ok"]
    return ready, results


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    ready, checks = run_checks()
    status = 200 if ready else 503
    return JsonResponse({"ready": ready, "checks": checks}, status=status)
