"""Visits: plan, list, read, change, cancel; guests; the processes a client may plan in."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as s
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from videocontact.api import services
from videocontact.api.base import COMMON_ERRORS, NOT_FOUND, ApiView, error
from videocontact.api.errors import ApiError
from videocontact.api.models import ApiClient, Scope
from videocontact.api.selectors import STATES, processes_for_client, visits_for_client
from videocontact.api.serializers import (
    DateTimeField,
    GuestInSerializer,
    PlannedSerializer,
    ProcessSerializer,
    VisitCreateSerializer,
    VisitPageSerializer,
    VisitSerializer,
    VisitUpdateSerializer,
)

# Reading a visit: a client that plans visits or one that reads their results.
READ = (Scope.VISITS_WRITE, Scope.RESULTS_READ)
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Send the same key again to get the first answer back instead of a second visit.",
)
WRITE_ERRORS = {
    **COMMON_ERRORS,
    409: error("The visit's state does not allow this, or the key is in use (`visit_closed`…)."),
    415: error("Send JSON (`unsupported_media_type`)."),
    422: error("Refused by a business rule (`caseworker_unknown`, `guest_too_many`, …)."),
}


class VisitPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-created_at", "-id")


def _sane_moment(value: datetime) -> datetime:
    # Far-off years overflow when the database converts them to UTC.
    if not 2000 <= value.year <= 2100:
        raise s.ValidationError("Choose a moment between 2000 and 2100.")
    return value


class VisitFilter(s.Serializer):
    state = s.MultipleChoiceField(choices=STATES, required=False)
    process = s.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    unit = s.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    case_reference = s.CharField(required=False, max_length=80)
    scheduled_after = DateTimeField(required=False, validators=[_sane_moment])
    scheduled_before = DateTimeField(required=False, validators=[_sane_moment])
    created_after = DateTimeField(required=False, validators=[_sane_moment])


def _filters(request: Request) -> dict[str, Any]:
    data: dict[str, Any] = {k: request.query_params.get(k) for k in request.query_params}
    if "state" in request.query_params:
        data["state"] = [v for raw in request.query_params.getlist("state") for v in raw.split(",")]
    form = VisitFilter(data=data)
    form.is_valid(raise_exception=True)
    return dict(form.validated_data)


def _once(
    request: Request, client: ApiClient, run: Callable[[], services.Outcome]
) -> services.Outcome:
    """Run a write once per Idempotency-Key: a retry with the same key and body gets the first
    answer again (services.idempotent)."""
    return services.idempotent(
        client=client,
        key=request.headers.get("Idempotency-Key"),
        fingerprint=services.request_fingerprint(request.path, request.data),
        run=run,
    )


def _answer(outcome: services.Outcome) -> Response:
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return Response(outcome.body, status=outcome.status, headers=headers)


class ProcessList(ApiView):
    required_scope = Scope.VISITS_WRITE

    @extend_schema(
        operation_id="processes_list",
        summary="Processes the client may plan visits in",
        responses={200: ProcessSerializer(many=True), **COMMON_ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(ProcessSerializer(processes_for_client(self.client), many=True).data)


class VisitCollection(ApiView):
    def get_permissions(self) -> list[Any]:
        self.required_scope = Scope.VISITS_WRITE if self.request.method == "POST" else READ
        return super().get_permissions()

    @extend_schema(
        operation_id="visits_list",
        summary="Visits of the client's units, newest first (cursor pagination)",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=STATES, many=True, explode=True),
            OpenApiParameter("process", OpenApiTypes.INT),
            OpenApiParameter("unit", OpenApiTypes.INT),
            OpenApiParameter("case_reference", OpenApiTypes.STR),
            OpenApiParameter("scheduled_after", OpenApiTypes.DATETIME),
            OpenApiParameter("scheduled_before", OpenApiTypes.DATETIME),
            OpenApiParameter("created_after", OpenApiTypes.DATETIME),
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: VisitPageSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        f = _filters(request)
        visits = visits_for_client(self.client).prefetch_related("participants__visit")
        lookups = {
            "state": "api_state__in",
            "process": "process_id",
            "unit": "process__unit_id",
            "case_reference": "case_reference",
            "scheduled_after": "scheduled_at__gte",
            "scheduled_before": "scheduled_at__lt",
            "created_after": "created_at__gte",
        }
        visits = visits.filter(**{lookups[k]: v for k, v in f.items() if k in lookups})
        paginator = VisitPagination()
        page = paginator.paginate_queryset(visits, request, view=self)
        return paginator.get_paginated_response(VisitSerializer(page, many=True).data)

    @extend_schema(
        operation_id="visits_create",
        summary="Plan a visit: the answer carries the join links (only this once)",
        parameters=[IDEMPOTENCY],
        request=VisitCreateSerializer,
        responses={201: PlannedSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        form = VisitCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        process = processes_for_client(self.client).filter(pk=data["process"]).first()
        if process is None:
            raise ApiError("process_unknown", "No process with this id in the client's units.", 422)
        client = self.client

        def run() -> services.Outcome:
            planned = services.visit_plan(client=client, process=process, data=data)
            visit = visits_for_client(client).get(pk=planned.visit.pk)
            body = PlannedSerializer({"visit": visit, "links": planned.links}).data
            return services.Outcome(status=201, body=dict(body))

        outcome = _once(request, client, run)
        self.audited_visit_id = uuid.UUID(outcome.body["visit"]["id"])
        return _answer(outcome)


class VisitItem(ApiView):
    def get_permissions(self) -> list[Any]:
        self.required_scope = Scope.VISITS_WRITE if self.request.method == "PATCH" else READ
        return super().get_permissions()

    @extend_schema(
        operation_id="visits_retrieve",
        summary="One visit with its state and participants",
        responses={200: VisitSerializer, **COMMON_ERRORS, **NOT_FOUND},
    )
    def get(self, request: Request, visit_id: uuid.UUID) -> Response:
        return Response(VisitSerializer(self.visit(visit_id)).data)

    @extend_schema(
        operation_id="visits_partial_update",
        summary="Move the visit and/or change the resident's contact details",
        request=VisitUpdateSerializer,
        responses={200: VisitSerializer, **WRITE_ERRORS, **NOT_FOUND},
    )
    def patch(self, request: Request, visit_id: uuid.UUID) -> Response:
        visit = self.visit(visit_id)
        form = VisitUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.visit_update(client=self.client, visit=visit, data=form.validated_data)
        return Response(VisitSerializer(self.visit(visit_id)).data)


class VisitCancel(ApiView):
    required_scope = Scope.VISITS_WRITE

    @extend_schema(
        operation_id="visits_cancel",
        summary="Cancel a visit that has not ended (links stop working, notices go out)",
        request=None,
        responses={200: VisitSerializer, **WRITE_ERRORS, **NOT_FOUND},
    )
    def post(self, request: Request, visit_id: uuid.UUID) -> Response:
        visit = self.visit(visit_id)
        services.visit_cancel(client=self.client, visit=visit)
        return Response(VisitSerializer(self.visit(visit_id)).data)


class VisitGuests(ApiView):
    required_scope = Scope.VISITS_WRITE

    @extend_schema(
        operation_id="visits_guests_create",
        summary="Invite an interpreter or family member: the answer carries their link",
        parameters=[IDEMPOTENCY],
        request=GuestInSerializer,
        responses={201: PlannedSerializer, **WRITE_ERRORS, **NOT_FOUND},
    )
    def post(self, request: Request, visit_id: uuid.UUID) -> Response:
        visit = self.visit(visit_id)
        form = GuestInSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        client = self.client

        def run() -> services.Outcome:
            planned = services.guest_invite(client=client, visit=visit, data=form.validated_data)
            fresh = visits_for_client(client).get(pk=visit.pk)
            body = PlannedSerializer({"visit": fresh, "links": planned.links}).data
            return services.Outcome(status=201, body=dict(body))

        return _answer(_once(request, client, run))
