"""A signed webhook: POST JSON with the report (base64) and its metadata.

The signature header works like Stripe's: `Videocontact-Signature: t=<unix time>,v1=<hex>` where
v1 = HMAC-SHA256(secret, "<t>." + body). A receiver recomputes it over the raw body, compares in
constant time and refuses a timestamp older than its tolerance (5 minutes is usual), so a
captured delivery cannot be replayed later. `Videocontact-Delivery` is the same for every
attempt of one export: a receiver that saw it already can answer 200 and ignore the repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx

SIGNATURE_HEADER = "Videocontact-Signature"
DELIVERY_HEADER = "Videocontact-Delivery"
DEFAULT_TOLERANCE_SECONDS = 300
TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}


class WebhookUnavailable(Exception):
    pass


class WebhookRefused(Exception):
    pass


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does (Python receivers may copy this function)."""
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        fields.setdefault(key, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))


def deliver(
    *,
    url: str,
    secret: str,
    payload: dict[str, Any],
    delivery_id: str,
    timeout: float = 30.0,
    transport: httpx.BaseTransport | None = None,
) -> int:
    """POST the payload. Returns the status code of a 2xx answer; raises otherwise."""
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(secret, int(time.time()), body),
        DELIVERY_HEADER: delivery_id,
        "User-Agent": "Open-Videocontact-Webhook/1",
    }
    try:
        with httpx.Client(timeout=timeout, transport=transport, follow_redirects=False) as http:
            response = http.post(url, content=body, headers=headers)
    except httpx.TransportError as exc:
        raise WebhookUnavailable(f"{type(exc).__name__}: {exc}") from exc
    if 200 <= response.status_code < 300:
        return response.status_code
    reason = f"HTTP {response.status_code}: {response.text[:300]}".strip()
    if response.status_code in TRANSIENT_STATUS:
        raise WebhookUnavailable(reason)
    raise WebhookRefused(reason)
