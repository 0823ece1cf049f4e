"""Errors of the language app: ServiceErrors with a code."""

from __future__ import annotations

from videocontact.core.errors import ServiceError


class LanguageError(ServiceError):
    code = "language_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class EngineUnavailable(LanguageError):
    """The engine is not installed or failed: the feature is unavailable, never a crash."""

    code = "engine_unavailable"
    status = 503
