"""URLs of the reports app (included at the site root by videocontact.urls)."""

from django.urls import path

from videocontact.reports import views

app_name = "reports"

urlpatterns = [
    path("staff/visits/<uuid:visit_id>/reports/new", views.report_new, name="new"),
    path(
        "staff/visits/<uuid:visit_id>/reports/<uuid:report_id>/retry",
        views.report_retry,
        name="retry",
    ),
    path(
        "staff/visits/<uuid:visit_id>/reports/<uuid:report_id>/download",
        views.report_download,
        name="download",
    ),
    path("v/<uuid:visit_id>/report", views.resident_download, name="resident_download"),
]
