"""Live WebSocket connections ("peers") so that any worker can compute presence."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class ServerInstance(models.Model):
    """One server process. It writes a heartbeat every few seconds; a process that stops doing so
    is dead (killed, crashed, host gone) and its connections are swept (rooms/liveness.py)."""

    id = models.UUIDField(primary_key=True, editable=False)
    started_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"instance {self.id}"


class RoomConnection(models.Model):
    peer_id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "visits.Participant", on_delete=models.CASCADE, related_name="connections"
    )
    channel_name = models.CharField(max_length=200)
    # The process holding the socket; null only for rows written outside a server (tests, shell).
    instance = models.ForeignKey(
        ServerInstance, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    connected_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    audio = models.BooleanField(default=True)
    video = models.BooleanField(default=True)
    facing = models.CharField(max_length=12, blank=True)
    # A browser other than the one the participant's link is bound to: it waits, apart from the
    # participant's own state, until the caseworker lets it in (it replaces the old one) or not.
    new_device = models.BooleanField(default=False)
    device_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["connected_at"]

    def __str__(self) -> str:
        return f"peer {self.peer_id}"


class PeerResume(models.Model):
    """A peer id a browser tab may take again after its socket dropped (network change, server
    restart), so the calls it is in carry on without renegotiation. Only a hash of the secret is
    kept, and it is bound to the browser session it was issued to."""

    peer_id = models.UUIDField(primary_key=True, editable=False)
    participant = models.ForeignKey(
        "visits.Participant", on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=64)
    secret_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"resume {self.peer_id}"
