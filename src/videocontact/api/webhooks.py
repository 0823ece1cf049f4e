"""Webhooks in the Standard Webhooks format (https://www.standardwebhooks.com):

    webhook-id:        the delivery id (the same for every retry: receivers deduplicate on it)
    webhook-timestamp: unix seconds of this attempt
    webhook-signature: "v1," + base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}"))

where key is the base64-decoded part of the endpoint's `whsec_…` secret. The body is
{"type": "visit.state_changed", "timestamp": …, "data": {...}}. Deliveries are retried by the
jobs app with exponential backoff; every attempt is logged on the delivery (admin).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import httpx
import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocontact.api.credentials import webhook_secret
from videocontact.api.models import (
    AnnouncedState,
    DeliveryState,
    WebhookDelivery,
    WebhookEndpoint,
)
from videocontact.api.selectors import visit_state
from videocontact.jobs.services import job_enqueue
from videocontact.visits.models import Visit

log = structlog.get_logger("api.webhooks")

JOB_KIND = "api.webhook"
EVENT_STATE_CHANGED = "visit.state_changed"
TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}
TOLERANCE_SECONDS = 300


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix("whsec_"))


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    content = f"{msg_id}.{timestamp}.".encode() + body
    mac = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def verify(secret: str, headers: dict[str, str], body: bytes, *, now: float | None = None) -> bool:
    """What a receiver does (Python receivers may copy this, or use the standardwebhooks
    package: it accepts these headers as they are)."""
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id = lower.get("webhook-id", "")
    try:
        timestamp = int(lower.get("webhook-timestamp", ""))
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret, msg_id, timestamp, body).split(",", 1)[1]
    for given in lower.get("webhook-signature", "").split():
        version, _, value = given.partition(",")
        if version == "v1" and hmac.compare_digest(expected, value):
            return True
    return False


def _endpoints_for(visit: Visit) -> list[WebhookEndpoint]:
    return list(
        WebhookEndpoint.objects.filter(
            is_active=True,
            client__is_active=True,
            client__organisation_id=visit.process.unit.organisation_id,
            client__units=visit.process.unit_id,
        ).distinct()
    )


def state_announce(*, visit_id: uuid.UUID) -> list[WebhookDelivery]:
    """Announce the visit's state if it changed since the last announcement (after commit)."""
    if not WebhookEndpoint.objects.filter(is_active=True).exists():
        return []
    with transaction.atomic():
        visit = (
            Visit.objects.select_for_update().select_related("process__unit").filter(pk=visit_id)
        ).first()
        if visit is None:
            return []
        state = visit_state(visit.id)
        mark = AnnouncedState.objects.filter(visit=visit).first()
        previous = mark.state if mark else None
        if state is None or state == previous:
            return []
        AnnouncedState.objects.update_or_create(visit=visit, defaults={"state": state})
        now = timezone.now()
        payload = {
            "type": EVENT_STATE_CHANGED,
            "timestamp": now.isoformat(),
            "data": {
                "visit": str(visit.id),
                "state": state,
                "previous_state": previous,
                "case_reference": visit.case_reference,
                "unit": visit.process.unit_id,
            },
        }
        deliveries = []
        for endpoint in _endpoints_for(visit):
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint,
                event_type=EVENT_STATE_CHANGED,
                visit_id=visit.id,
                payload=payload,
            )
            job_enqueue(
                kind=JOB_KIND,
                payload={"delivery_id": str(delivery.id)},
                dedupe_key=f"{JOB_KIND}:{delivery.id}",
                max_attempts=settings.API_WEBHOOK_MAX_ATTEMPTS + 1,
            )
            deliveries.append(delivery)
        return deliveries


class DeliveryOutcome:
    def __init__(self, state: str, retry_after: float | None = None, reason: str = "") -> None:
        self.state, self.retry_after, self.reason = state, retry_after, reason


def _post(url: str, secret: str, delivery: WebhookDelivery, transport: Any = None) -> int:
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "webhook-id": str(delivery.id),
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, str(delivery.id), timestamp, body),
        "User-Agent": "Open-Videocontact-Webhook/1",
    }
    timeout = settings.API_WEBHOOK_TIMEOUT
    with httpx.Client(timeout=timeout, transport=transport, follow_redirects=False) as http:
        return http.post(url, content=body, headers=headers).status_code


def delivery_attempt(*, delivery_id: str, transport: Any = None) -> DeliveryOutcome:
    """One attempt (the job's body). Idempotent: a delivered or failed delivery is left alone."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.state in (DeliveryState.DELIVERED, DeliveryState.FAILED):
        return DeliveryOutcome(delivery.state if delivery else DeliveryState.FAILED)
    endpoint = delivery.endpoint
    secret = webhook_secret(endpoint)
    status: int | None = None
    if not endpoint.is_active or secret is None:
        error, transient = "the endpoint is inactive or has no secret", False
    else:
        try:
            status = _post(endpoint.url, secret, delivery, transport)
            error = "" if 200 <= status < 300 else f"HTTP {status}"
            transient = status in TRANSIENT_STATUS
        except httpx.HTTPError as exc:
            error, transient = f"{type(exc).__name__}", True
    delivery.attempts += 1
    delivery.last_status = status
    delivery.last_error = error[:300]
    if not error:
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = timezone.now()
        retry_after = None
    elif transient and delivery.attempts < settings.API_WEBHOOK_MAX_ATTEMPTS:
        delivery.state = DeliveryState.RETRYING
        retry_after = settings.API_WEBHOOK_RETRY_BASE_SECONDS * 2 ** (delivery.attempts - 1)
    else:
        delivery.state = DeliveryState.FAILED
        retry_after = None
    delivery.save(update_fields=["attempts", "last_status", "last_error", "state", "delivered_at"])
    log.info("webhook.attempt", delivery=str(delivery.id), state=delivery.state, error=error)
    return DeliveryOutcome(delivery.state, retry_after, error)
