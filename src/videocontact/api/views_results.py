"""Results of a visit: answers with the signature hash, photos, sealed reports, export state;
and statistics. Every read of evidence goes through the audited services of its app."""

from __future__ import annotations

import uuid
from typing import Any

from cryptography.exceptions import InvalidTag
from django.db.models import Count
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from videocontact.api.base import COMMON_ERRORS, NOT_FOUND, ApiView
from videocontact.api.models import Scope
from videocontact.api.selectors import visits_for_client
from videocontact.api.serializers import (
    AnswersSerializer,
    ExportSerializer,
    PhotoSerializer,
    ReportSerializer,
    VisitCountSerializer,
)
from videocontact.dossier.selectors import exports_for_visit
from videocontact.evidence import vault
from videocontact.evidence.errors import EvidenceError
from videocontact.evidence.selectors import photos_for_visit
from videocontact.evidence.services import photo_read
from videocontact.privacy.audit import audit
from videocontact.questionnaires.selectors import answer_values, questionnaire_for_visit
from videocontact.reports.models import ReportState
from videocontact.reports.selectors import report_of_visit, reports_for_visit
from videocontact.reports.services import report_read

READ_ERRORS = {**COMMON_ERRORS, **NOT_FOUND}


def _file(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(len(data))
    return response


class ResultView(ApiView):
    required_scope = Scope.RESULTS_READ

    def purpose(self) -> str:
        return f"api:{self.client.client_id}"


class Answers(ResultView):
    @extend_schema(
        operation_id="visits_answers_retrieve",
        summary="The questionnaire's answers and the hash of the resident's signature",
        responses={200: AnswersSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, visit_id: uuid.UUID) -> Response:
        visit = self.visit(visit_id)
        questionnaire = questionnaire_for_visit(visit.id)
        if questionnaire is None:
            raise exceptions.NotFound("This visit has no questionnaire.")
        signature = questionnaire.current_signature
        audit(
            action="answers.read",
            obj=questionnaire,
            visit_id=visit.id,
            purpose=self.purpose(),
        )
        return Response(
            AnswersSerializer(
                {
                    "template": questionnaire.version.template.code,
                    "version": questionnaire.version.number,
                    "language": questionnaire.language,
                    "answers": answer_values(questionnaire),
                    "signature": signature,
                }
            ).data
        )


class Photos(ResultView):
    @extend_schema(
        operation_id="visits_photos_list",
        summary="The photos of the visit (discarded photos are left out)",
        responses={200: PhotoSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, visit_id: uuid.UUID) -> Response:
        visit = self.visit(visit_id)
        return Response(PhotoSerializer(photos_for_visit(visit.id), many=True).data)


class PhotoFile(ResultView):
    @extend_schema(
        operation_id="visits_photos_file",
        summary="One photo (JPEG or PNG, metadata stripped); every read is audited",
        responses={
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
            **READ_ERRORS,
        },
    )
    def get(self, request: Request, visit_id: uuid.UUID, photo_id: uuid.UUID) -> HttpResponse:
        visit = self.visit(visit_id)
        photo = next((p for p in photos_for_visit(visit.id) if p.id == photo_id), None)
        if photo is None:
            raise exceptions.NotFound("No such photo in this visit.")
        try:
            data = photo_read(photo=photo, by_user=None, purpose=self.purpose())
        except EvidenceError as exc:
            raise exceptions.NotFound(f"The photo cannot be read ({exc.code}).") from exc
        extension = "png" if photo.content_type == "image/png" else "jpg"
        return _file(data, photo.content_type, f"photo-{photo.id}.{extension}")


class Reports(ResultView):
    @extend_schema(
        operation_id="visits_reports_list",
        summary="The reports of the visit (1, 2, …) and their state",
        responses={200: ReportSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, visit_id: uuid.UUID) -> Response:
        visit = self.visit(visit_id)
        return Response(ReportSerializer(reports_for_visit(visit.id), many=True).data)


class ReportFile(ResultView):
    @extend_schema(
        operation_id="visits_reports_pdf",
        summary="The sealed PDF (PAdES); every read is audited",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **READ_ERRORS},
    )
    def get(self, request: Request, visit_id: uuid.UUID, report_id: uuid.UUID) -> HttpResponse:
        visit = self.visit(visit_id)
        report = report_of_visit(visit.id, report_id)
        if report is None or report.state != ReportState.READY:
            raise exceptions.NotFound("No ready report with this id in this visit.")
        try:
            data = report_read(report=report, by_user=None, purpose=self.purpose())
        except (vault.BlobMissing, InvalidTag) as exc:
            raise exceptions.NotFound("The stored report cannot be read.") from exc
        return _file(data, "application/pdf", report.filename)


class Exports(ResultView):
    @extend_schema(
        operation_id="visits_exports_list",
        summary="Where the reports went: one row per report and filing target",
        responses={200: ExportSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, visit_id: uuid.UUID) -> Response:
        visit = self.visit(visit_id)
        return Response(ExportSerializer(exports_for_visit(visit.id), many=True).data)


class VisitCounts(ApiView):
    required_scope = Scope.STATISTICS_READ

    @extend_schema(
        operation_id="statistics_visits",
        summary="How many visits each unit of the client has, per state",
        responses={200: VisitCountSerializer(many=True), **COMMON_ERRORS},
    )
    def get(self, request: Request) -> Response:
        rows: list[dict[str, Any]] = list(
            visits_for_client(self.client)
            .order_by()
            .values("process__unit_id", "api_state")  # type: ignore[misc]
            .annotate(count=Count("id"))
            .order_by("process__unit_id", "api_state")
        )
        data = [
            {"unit": r["process__unit_id"], "state": r["api_state"], "count": r["count"]}
            for r in rows
        ]
        return Response(VisitCountSerializer(data, many=True).data)
