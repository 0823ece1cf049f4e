"""ICE servers for a peer, with time-limited TURN credentials (coturn's REST API convention)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from django.conf import settings


def turn_credentials(
    peer_id: str, *, secret: str, ttl: int, now: float | None = None
) -> dict[str, str]:
    expiry = int((now if now is not None else time.time()) + ttl)
    username = f"{expiry}:{peer_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return {"username": username, "credential": base64.b64encode(digest).decode()}


def ice_servers_for(peer_id: str) -> list[dict[str, Any]]:
    servers: list[dict[str, Any]] = []
    if settings.STUN_URLS:
        servers.append({"urls": list(settings.STUN_URLS)})
    if settings.TURN_URLS and settings.TURN_SECRET:
        creds = turn_credentials(
            peer_id, secret=settings.TURN_SECRET, ttl=settings.TURN_CREDENTIAL_TTL
        )
        servers.append({"urls": list(settings.TURN_URLS), **creds})
    return servers


def ice_transport_policy() -> str:
    return "relay" if settings.ICE_TRANSPORT_POLICY == "relay" else "all"
