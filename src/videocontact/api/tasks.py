"""Background jobs of the api app (auto-discovered by the jobs app)."""

from __future__ import annotations

from typing import Any

from videocontact.api.models import DeliveryState
from videocontact.api.webhooks import JOB_KIND, delivery_attempt
from videocontact.jobs import registry


@registry.register(JOB_KIND)
def deliver(payload: dict[str, Any]) -> None:
    outcome = delivery_attempt(delivery_id=payload["delivery_id"])
    if outcome.state == DeliveryState.RETRYING:
        raise registry.Retry(outcome.retry_after or 60, outcome.reason)
    if outcome.state == DeliveryState.FAILED:
        raise registry.PermanentFailure(outcome.reason)
