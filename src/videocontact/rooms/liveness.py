"""Server instances and their heartbeats: no ghost peers, and no database write per ping.

Every server process has an id (INSTANCE_ID). Its liveness thread writes one heartbeat every
ROOM_INSTANCE_HEARTBEAT_SECONDS: the instance row, and last_seen_at of the connections and
participants it holds (one statement each, however many sockets). A process that was killed
never runs its consumers' disconnect handlers; once its heartbeat is older than
ROOM_INSTANCE_DEAD_SECONDS any other instance sweeps its connections and tells the rooms.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

import structlog
from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from videocontact.rooms.models import RoomConnection, ServerInstance
from videocontact.rooms.receivers import publish_presence
from videocontact.rooms.selectors import dead_before
from videocontact.visits.models import Participant

log = structlog.get_logger("rooms")

INSTANCE_ID = uuid.uuid4()


def instance_register(*, instance_id: uuid.UUID = INSTANCE_ID) -> None:
    """This process is alive now (also called on every connect, so the row always exists)."""
    ServerInstance.objects.update_or_create(
        id=instance_id, defaults={"heartbeat_at": timezone.now()}
    )


def instance_heartbeat(*, instance_id: uuid.UUID = INSTANCE_ID) -> None:
    now = timezone.now()
    with transaction.atomic():
        instance_register(instance_id=instance_id)
        RoomConnection.objects.filter(instance_id=instance_id).update(last_seen_at=now)
        Participant.objects.filter(connections__instance_id=instance_id).update(last_seen_at=now)


def instances_sweep(*, now: datetime | None = None) -> int:
    """Remove the connections of dead instances and tell their rooms. Returns how many."""
    cutoff = dead_before(now)
    dead = list(
        ServerInstance.objects.filter(heartbeat_at__lt=cutoff).values_list("id", "heartbeat_at")
    )
    if not dead:
        return 0
    swept = 0
    with transaction.atomic():
        for instance_id, heartbeat_at in dead:
            ghosts = RoomConnection.objects.filter(instance_id=instance_id)
            visits = set(ghosts.values_list("participant__visit_id", flat=True))
            # Their place in the call is held from the last moment they were known alive.
            Participant.objects.filter(connections__instance_id=instance_id).update(
                last_seen_at=heartbeat_at
            )
            swept += ghosts.delete()[0]
            ServerInstance.objects.filter(id=instance_id, heartbeat_at__lt=cutoff).delete()
            for visit_id in visits:
                publish_presence(visit_id)  # and the lobby
    if swept:
        log.info("room.ghosts_swept", connections=swept, instances=len(dead))
    return swept


def run_forever(stop: threading.Event) -> None:
    interval = settings.ROOM_INSTANCE_HEARTBEAT_SECONDS
    log.info("room.instance_started", instance=str(INSTANCE_ID), heartbeat=interval)
    while True:
        try:
            close_old_connections()
            instance_heartbeat()
            instances_sweep()
        except Exception:  # the loop must outlive a broken database connection
            log.exception("room.heartbeat_error")
        if stop.wait(interval):
            break
    connections.close_all()


def start_in_background() -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(stop,), name="rooms-liveness", daemon=True)
    thread.start()
    return thread, stop
