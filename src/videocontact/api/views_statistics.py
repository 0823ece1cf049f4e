"""Statistics for a client with `statistics:read`: visits per state, and the residents' and
guests' ratings per unit (counts only: comments and single ratings stay in the insights app,
so a rating cannot be tied to a case)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from videocontact.api.base import COMMON_ERRORS, ApiView
from videocontact.api.models import Scope as ApiScope
from videocontact.api.serializers import RatingPeriodSerializer, RatingStatisticsSerializer
from videocontact.insights.selectors.ratings import RatingSummary, rating_summary, ratings_in
from videocontact.insights.selectors.scope import Period, Scope, default_period


def _row(unit: int | None, summary: RatingSummary) -> dict[str, Any]:
    return {
        "unit": unit,
        "unit_name": summary.label,
        "count": summary.count,
        "ease": {str(k): v for k, v in summary.ease.items()},
        "appreciation": {str(k): v for k, v in summary.appreciation.items()},
        "ease_good_percent": summary.ease_good_percent,
        "appreciation_good_percent": summary.appreciation_good_percent,
    }


class RatingStatistics(ApiView):
    required_scope = ApiScope.STATISTICS_READ

    @extend_schema(
        operation_id="statistics_ratings",
        summary="Ratings of residents and guests per unit of the client, over a period",
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
        ],
        responses={200: RatingStatisticsSerializer, **COMMON_ERRORS},
    )
    def get(self, request: Request) -> Response:
        form = RatingPeriodSerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        default = default_period()
        last = form.validated_data.get("date_to") or default.last
        first = form.validated_data.get("date_from") or (last - timedelta(days=27))
        if first > last:
            first = last
        units = tuple(self.client.units.filter(organisation_id=self.client.organisation_id))
        scope = Scope(self.client.organisation, units, is_admin=False)
        period = Period(first, last)
        labels = {u.pk: str(u) for u in units}
        rows, total = rating_summary(ratings_in(scope, period), labels)
        body = {
            "date_from": first,
            "date_to": last,
            "units": [_row(uid, row) for uid, row in zip(labels, rows, strict=True)],
            "total": _row(None, total),
        }
        return Response(RatingStatisticsSerializer(body).data)
