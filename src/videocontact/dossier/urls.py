"""URLs of the dossier app (included at the site root by videocontact.urls)."""

from django.urls import path

from videocontact.dossier import views

app_name = "dossier"

urlpatterns: list = [
    path(
        "staff/visits/<uuid:visit_id>/exports/<uuid:export_id>/retry",
        views.retry,
        name="retry",
    ),
]
