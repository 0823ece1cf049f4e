"""/api/v1/…: the versioned REST API, its OpenAPI schema and the reference page."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView

from videocontact.api import views, views_results, views_statistics
from videocontact.api.docs import ReferencePage

app_name = "api"


@csrf_exempt  # no cookies are used under /api/: nothing to forge
def not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"code": "not_found", "detail": "No such API path."}, status=404)


urlpatterns = [
    path("v1/schema", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs", ReferencePage.as_view(url_name="api:schema"), name="docs"),
    path("v1/processes", views.ProcessList.as_view(), name="processes"),
    path("v1/visits", views.VisitCollection.as_view(), name="visits"),
    path("v1/visits/<uuid:visit_id>", views.VisitItem.as_view(), name="visit"),
    path("v1/visits/<uuid:visit_id>/cancel", views.VisitCancel.as_view(), name="visit-cancel"),
    path("v1/visits/<uuid:visit_id>/guests", views.VisitGuests.as_view(), name="visit-guests"),
    path("v1/visits/<uuid:visit_id>/answers", views_results.Answers.as_view(), name="answers"),
    path("v1/visits/<uuid:visit_id>/photos", views_results.Photos.as_view(), name="photos"),
    path(
        "v1/visits/<uuid:visit_id>/photos/<uuid:photo_id>",
        views_results.PhotoFile.as_view(),
        name="photo",
    ),
    path("v1/visits/<uuid:visit_id>/reports", views_results.Reports.as_view(), name="reports"),
    path(
        "v1/visits/<uuid:visit_id>/reports/<uuid:report_id>/pdf",
        views_results.ReportFile.as_view(),
        name="report-pdf",
    ),
    path("v1/visits/<uuid:visit_id>/exports", views_results.Exports.as_view(), name="exports"),
    path("v1/statistics/visits", views_results.VisitCounts.as_view(), name="statistics-visits"),
    path(
        "v1/statistics/ratings",
        views_statistics.RatingStatistics.as_view(),
        name="statistics-ratings",
    ),
    # Anything else under /api/ is a JSON 404, never the HTML error page.
    re_path(r"^[\s\S]*$", not_found),
]
