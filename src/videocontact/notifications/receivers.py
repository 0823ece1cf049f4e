"""Listens to the visit's life cycle (visits.signals): notices, reminders, calendar updates."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from videocontact.notifications import services
from videocontact.visits.signals import visit_cancelled, visit_ended, visit_rescheduled


@receiver(visit_rescheduled, dispatch_uid="notifications.visit_rescheduled")
def _rescheduled(sender: Any, *, visit: Any, old_scheduled_at: Any, by_user: Any, **_: Any) -> None:
    services.on_visit_rescheduled(visit=visit, old_scheduled_at=old_scheduled_at, by_user=by_user)


@receiver(visit_cancelled, dispatch_uid="notifications.visit_cancelled")
def _cancelled(sender: Any, *, visit: Any, by_user: Any, **_: Any) -> None:
    services.on_visit_cancelled(visit=visit, by_user=by_user)


@receiver(visit_ended, dispatch_uid="notifications.visit_ended")
def _ended(sender: Any, *, visit: Any, by_user: Any, **_: Any) -> None:
    services.on_visit_ended(visit=visit)
