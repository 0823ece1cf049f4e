"""Refusals of the insights services. Each has a stable `code` (views map it to a 4xx, the room
socket to an `error` frame)."""

from __future__ import annotations

from videocontact.core.errors import ServiceError


class InsightsError(ServiceError):
    code = "insights_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class AlreadyRated(InsightsError):
    code = "already_rated"
    status = 409


class NotAllowed(InsightsError):
    code = "not_allowed"
    status = 403


class InvalidReport(InsightsError):
    code = "invalid_stats"
    status = 400
