"""Live WebSocket connections ("peers") so that any worker can compute presence."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServerInstance(models.Model):
    """One server process. It writes a heartbeat every few seconds; a process that stops doing so
    is dead (killed, crashed, host gone) and its connections are swept (rooms/liveness.py)."""

    id = models.UUIDField(primary_key=True, editable=False, verbose_name=_("ID"))
    started_at = models.DateTimeField(default=timezone.now, verbose_name=_("started at"))
    heartbeat_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("last sign of life")
    )

    class Meta:
        verbose_name = _("server instance")
        verbose_name_plural = _("server instances")

    def __str__(self) -> str:
        return f"instance {self.id}"


class RoomConnection(models.Model):
    peer_id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("peer ID")
    )
    participant = models.ForeignKey(
        "visits.Participant",
        on_delete=models.CASCADE,
        related_name="connections",
        verbose_name=_("participant"),
    )
    channel_name = models.CharField(max_length=200, verbose_name=_("channel name"))
    # The process holding the socket; null only for rows written outside a server (tests, shell).
    instance = models.ForeignKey(
        ServerInstance,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("server instance"),
    )
    connected_at = models.DateTimeField(default=timezone.now, verbose_name=_("connected at"))
    last_seen_at = models.DateTimeField(default=timezone.now, verbose_name=_("last seen at"))
    audio = models.BooleanField(default=True, verbose_name=_("sound on"))
    video = models.BooleanField(default=True, verbose_name=_("video on"))
    facing = models.CharField(max_length=12, blank=True, verbose_name=_("camera direction"))
    # A browser other than the one the participant's link is bound to: it waits, apart from the
    # participant's own state, until the caseworker lets it in (it replaces the old one) or not.
    new_device = models.BooleanField(default=False, verbose_name=_("new device"))
    device_hash = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("device hash")
    )

    class Meta:
        ordering = ["connected_at"]
        verbose_name = _("connection to a call")
        verbose_name_plural = _("connections to calls")

    def __str__(self) -> str:
        return f"peer {self.peer_id}"


class PeerResume(models.Model):
    """A peer id a browser tab may take again after its socket dropped (network change, server
    restart), so the calls it is in carry on without renegotiation. Only a hash of the secret is
    kept, and it is bound to the browser session it was issued to."""

    peer_id = models.UUIDField(primary_key=True, editable=False, verbose_name=_("peer ID"))
    participant = models.ForeignKey(
        "visits.Participant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("participant"),
    )
    session_key = models.CharField(max_length=64, verbose_name=_("session key"))
    secret_hash = models.CharField(max_length=64, unique=True, verbose_name=_("secret hash"))
    issued_at = models.DateTimeField(default=timezone.now, verbose_name=_("issued at"))

    class Meta:
        verbose_name = _("resumable connection")
        verbose_name_plural = _("resumable connections")

    def __str__(self) -> str:
        return f"resume {self.peer_id}"
