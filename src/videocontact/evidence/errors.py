"""Refusals of the evidence services, with a stable code and the HTTP status a view should use."""

from __future__ import annotations

from videocontact.core.errors import ServiceError


class EvidenceError(ServiceError):
    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
