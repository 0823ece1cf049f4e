"""Job handlers by kind. An app registers its handlers in its own `tasks.py`:

    @register("reports.build")
    def build(payload: dict) -> None: ...

A handler must be idempotent: a job whose worker died mid-run is run again after its lock expires.
Raise `Retry` to try again later without counting it as an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[[dict[str, Any]], None]
_HANDLERS: dict[str, Handler] = {}


class Retry(Exception):  # a signal to reschedule, not an error
    def __init__(self, after_seconds: float, reason: str = "") -> None:
        super().__init__(reason)
        self.after_seconds = after_seconds


class PermanentFailure(Exception):
    """The job cannot succeed by trying again (bad configuration, refused input)."""


def register(kind: str) -> Callable[[Handler], Handler]:
    def decorate(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        return func

    return decorate


_DAILY: dict[str, int] = {}


def daily(kind: str, *, hour: int) -> None:
    """Run the job `kind` once a day, from `hour` o'clock (local time); see schedule_daily."""
    _DAILY[kind] = hour


def daily_kinds() -> dict[str, int]:
    return dict(_DAILY)


def handler_for(kind: str) -> Handler | None:
    return _HANDLERS.get(kind)


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)
