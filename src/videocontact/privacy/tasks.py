"""The daily purge (jobs): one job a day, deduplicated by its date."""

from __future__ import annotations

from typing import Any

from videocontact.jobs.registry import daily, register
from videocontact.privacy.purge import purge_due

PURGE_JOB = "privacy.purge"
daily(PURGE_JOB, hour=3)


@register(PURGE_JOB)
def purge(payload: dict[str, Any]) -> None:
    purge_due()
