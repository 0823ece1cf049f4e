"""Machine-readable API errors: every 4xx body is {"code": ..., "detail": ..., "errors": {...}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from videocontact.core.errors import ServiceError


class ApiError(exceptions.APIException):
    """A refusal with its own code; views and services raise it."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, code: str, detail: str, status_code: int = 400) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.error_code = code


# DRF exception class → our code. The first match wins (subclasses first).
CODES: list[tuple[type[Exception], str]] = [
    (exceptions.NotAuthenticated, "unauthenticated"),
    (exceptions.AuthenticationFailed, "unauthenticated"),
    (exceptions.Throttled, "rate_limited"),
    (exceptions.PermissionDenied, "forbidden"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.ParseError, "malformed_request"),
    (exceptions.ValidationError, "invalid"),
]


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(i, dict | list) for i in detail):
            return [str(i) for i in detail]
        return [_flatten(i) for i in detail]
    return [str(detail)]


def handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError) and not isinstance(exc, exceptions.APIException):
        # A refusal of a lower app's service (a rule the API does not check itself): its own
        # code, and 422 rather than a bare 400 for a well-formed request that breaks a rule.
        status_code = 409 if exc.status == 409 else 422
        return Response({"code": exc.code, "detail": exc.message}, status=status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.messages)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ApiError):
        body: dict[str, Any] = {"code": exc.error_code, "detail": str(exc.detail)}
    else:
        code = next((c for cls, c in CODES if isinstance(exc, cls)), "error")
        detail = getattr(exc, "detail", "")
        if isinstance(exc, exceptions.ValidationError):
            body = {
                "code": code,
                "detail": "The request has invalid fields.",
                "errors": _flatten(detail) if isinstance(detail, dict) else {"": _flatten(detail)},
            }
        else:
            body = {"code": code, "detail": str(detail)}
    response.data = body
    return response
