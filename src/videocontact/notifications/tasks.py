"""Job handlers of the notifications app (auto-discovered by the jobs app)."""

from __future__ import annotations

from typing import Any

from videocontact.jobs.registry import register
from videocontact.notifications.services import (
    CODE_EXPIRY_JOB_KIND,
    JOB_KIND,
    code_expired_job,
    deliver_job,
)


@register(JOB_KIND)
def send(payload: dict[str, Any]) -> None:
    deliver_job(payload)


@register(CODE_EXPIRY_JOB_KIND)
def code_expired(payload: dict[str, Any]) -> None:
    code_expired_job(payload)
