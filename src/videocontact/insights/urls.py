from django.urls import path

from videocontact.insights import views_resident, views_staff

app_name = "insights"

urlpatterns = [
    path("v/<uuid:visit_id>/rating", views_resident.rating, name="rating"),
    path("staff/insights/", views_staff.overview, name="overview"),
    path("staff/insights/export.csv", views_staff.download, {"fmt": "csv"}, name="export_csv"),
    path("staff/insights/export.xlsx", views_staff.download, {"fmt": "xlsx"}, name="export_xlsx"),
    path(
        "staff/insights/processes/<int:process_id>/business-case",
        views_staff.business_case,
        name="business_case",
    ),
    path("staff/visits/<uuid:visit_id>/tech-check", views_staff.tech_check, name="tech_check"),
]
