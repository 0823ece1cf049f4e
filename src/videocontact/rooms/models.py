"""Live WebSocket connections ("peers") so that any worker can compute presence."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class RoomConnection(models.Model):
    peer_id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "visits.Participant", on_delete=models.CASCADE, related_name="connections"
    )
    channel_name = models.CharField(max_length=200)
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
