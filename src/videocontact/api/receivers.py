"""State changes of a visit → webhooks. Any save of a visit, a participant or an export may
change the state a client sees; after the commit the state is compared with the last one
announced, and a change becomes one delivery per subscribed endpoint."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from videocontact.dossier.models import Export
from videocontact.visits.models import Participant, Visit


def _later(visit_id: Any) -> None:
    from videocontact.api.webhooks import state_announce

    transaction.on_commit(lambda: state_announce(visit_id=visit_id), robust=True)


@receiver(post_save, sender=Visit, dispatch_uid="api.visit_saved")
def _visit_saved(sender: Any, instance: Visit, **_: Any) -> None:
    _later(instance.pk)


@receiver(post_save, sender=Participant, dispatch_uid="api.participant_saved")
def _participant_saved(sender: Any, instance: Participant, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if fields is not None and "state" not in fields:
        return  # last_seen_at and the like: not a state change
    _later(instance.visit_id)


@receiver(post_save, sender=Export, dispatch_uid="api.export_saved")
def _export_saved(sender: Any, instance: Export, **_: Any) -> None:
    _later(instance.visit_id)
