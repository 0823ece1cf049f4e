"""The base of every API view: client authentication, scopes, rate limit, JSON only, the audit
of every call, and the OpenAPI error answers shared by all operations."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.http import HttpResponseBase
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from videocontact.api import services
from videocontact.api.auth import (
    ClientAuthentication,
    ClientPrincipal,
    ClientRateThrottle,
    HasScope,
)
from videocontact.api.models import ApiClient
from videocontact.api.selectors import visit_for_client
from videocontact.api.serializers import ErrorSerializer
from videocontact.visits.models import Visit

MAX_BODY_BYTES = 256 * 1024  # a visit with four guests is about 2 KB


class BoundedJSONParser(JSONParser):
    """JSON of a sane size and depth: a huge or deeply nested body is a 400, never a 500."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(data) > MAX_BODY_BYTES:
            raise exceptions.ParseError(f"The body is larger than {MAX_BODY_BYTES} bytes.")
        try:
            return super().parse(io.BytesIO(data), media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError("The JSON is nested too deeply.") from exc


class FirstRenderer(BaseContentNegotiation):
    """Answers are JSON (or the file itself): an Accept header never turns a call into a 406."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        content_type = request.content_type.split(";")[0].strip().lower()
        return next((p for p in parsers if p.media_type == content_type), None)

    def select_renderer(self, request: Request, renderers: list[Any], format_suffix: Any = None):  # type: ignore[no-untyped-def]
        return renderers[0], renderers[0].media_type


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


COMMON_ERRORS = {
    400: error("Malformed request or invalid query (`code`: malformed_request, invalid)."),
    401: error("No or a wrong credential (`unauthenticated`)."),
    403: error("The client lacks the scope (`forbidden`)."),
    429: error("Too many requests for this client (`rate_limited`); see Retry-After."),
}
NOT_FOUND = {404: error("Not found, or not in the client's units (`not_found`).")}


class ApiView(APIView):
    authentication_classes = [ClientAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ClientRateThrottle]
    parser_classes = [BoundedJSONParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRenderer
    required_scope: str | tuple[str, ...] | None = None  # a tuple: any one of them
    audited_visit_id: uuid.UUID | None = None

    @property
    def client(self) -> ApiClient:
        principal = getattr(self.request, "_user", None)
        if not isinstance(principal, ClientPrincipal):
            raise exceptions.NotAuthenticated()
        return principal.client

    def visit(self, visit_id: uuid.UUID) -> Visit:
        """A visit of one of the client's units; anything else is a 404 (no existence leak)."""
        visit = visit_for_client(self.client, visit_id)
        if visit is None:
            raise exceptions.NotFound("No visit with this id in the client's units.")
        self.audited_visit_id = visit.id
        return visit

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        principal = getattr(request, "_user", None)
        if isinstance(principal, ClientPrincipal):
            services.audit_call(
                client=principal.client,
                method=request.method or "",
                path=request.path,
                status=response.status_code,
                visit_id=self.audited_visit_id,
            )
        response.headers["Cache-Control"] = "no-store"
        return response
