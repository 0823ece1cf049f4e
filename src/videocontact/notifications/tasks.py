"""Job handlers of the notifications app (auto-discovered by the jobs app)."""

from __future__ import annotations

from typing import Any

from videocontact.jobs.registry import register
from videocontact.notifications.services import JOB_KIND, deliver_job


@register(JOB_KIND)
def send(payload: dict[str, Any]) -> None:
    deliver_job(payload)
