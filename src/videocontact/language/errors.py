"""Errors of the language app. Until videocontact.core.errors.ServiceError lands, a plain
Exception with a `code` (the lead rebases it onto ServiceError)."""

from __future__ import annotations


class LanguageError(Exception):
    code = "language_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class EngineUnavailable(LanguageError):
    """The engine is not installed or failed: the feature is unavailable, never a crash."""

    code = "engine_unavailable"
