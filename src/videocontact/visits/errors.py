from __future__ import annotations

from datetime import datetime
from typing import Any

from videocontact.core.errors import ServiceError


class VisitError(ServiceError):
    code = "visit_error"


class InvitationError(VisitError):
    """A join link that cannot be used. `reason` picks the page the resident sees."""

    def __init__(self, reason: str, *, opens_at: datetime | None = None, visit: Any = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.opens_at = opens_at
        self.visit = visit  # for the page: the organisation's phone number, the language


class RoomFull(VisitError):
    code = "room_full"


class NotAllowed(VisitError):
    code = "forbidden"


class Denied(NotAllowed):
    """The caseworker did not let this participant in; reconnecting does not change that."""

    code = "denied"


class NotWaiting(VisitError):
    code = "not_waiting"


class GuestError(VisitError):
    """A guest that cannot be added or removed. `reason` picks the message the caseworker sees."""

    code = "guest_error"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
