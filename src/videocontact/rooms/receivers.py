"""The room listens to the visit's domain events and tells the browsers, after commit."""

from __future__ import annotations

import uuid
from typing import Any

from django.dispatch import receiver

from videocontact.rooms import events
from videocontact.rooms.payloads import lobby_frame, presence_frame
from videocontact.visits import signals
from videocontact.visits.models import Participant, Visit


def publish_lobby(visit_id: uuid.UUID) -> None:
    events.publish_on_commit(
        events.staff_group(visit_id), lambda: events.frame_event(lobby_frame(visit_id))
    )


def publish_presence(visit_id: uuid.UUID) -> None:
    events.publish_on_commit(
        events.visit_group(visit_id), lambda: events.frame_event(presence_frame(visit_id))
    )
    publish_lobby(visit_id)


def _end_all(visit: Visit, reason: str) -> None:
    ended = {"type": "room.ended", "reason": reason}
    for participant_id in visit.participants.values_list("id", flat=True):
        events.publish_on_commit(events.participant_group(participant_id), ended)


@receiver(signals.lobby_changed)
def on_lobby_changed(sender: Any, *, visit_id: uuid.UUID, **_: Any) -> None:
    publish_lobby(visit_id)


@receiver(signals.presence_changed)
def on_presence_changed(sender: Any, *, visit_id: uuid.UUID, **_: Any) -> None:
    publish_presence(visit_id)


@receiver(signals.participant_admitted)
def on_admitted(sender: Any, *, participant: Participant, **_: Any) -> None:
    events.publish_on_commit(events.participant_group(participant.id), {"type": "room.admitted"})
    publish_lobby(participant.visit_id)


@receiver(signals.participant_denied)
def on_denied(sender: Any, *, participant: Participant, **_: Any) -> None:
    events.publish_on_commit(
        events.participant_group(participant.id), events.frame_event({"type": "denied"})
    )
    publish_lobby(participant.visit_id)


@receiver(signals.participant_removed)
def on_removed(sender: Any, *, participant: Participant, **_: Any) -> None:
    events.publish_on_commit(
        events.participant_group(participant.id), {"type": "room.ended", "reason": "removed"}
    )
    publish_presence(participant.visit_id)


@receiver(signals.visit_ended)
def on_visit_ended(sender: Any, *, visit: Visit, **_: Any) -> None:
    _end_all(visit, "ended_by_staff")


@receiver(signals.visit_cancelled)
def on_visit_cancelled(sender: Any, *, visit: Visit, **_: Any) -> None:
    _end_all(visit, "ended_by_staff")
