"""URLs of the evidence app (included at the site root by videocontact.urls)."""

from django.urls import path

from videocontact.evidence import views, views_idcheck

app_name = "evidence"

STAFF_PHOTO = "staff/visits/<uuid:visit_id>/photos/<uuid:photo_id>"

urlpatterns: list = [
    path("v/<uuid:visit_id>/photos", views.photo_upload, name="photo_upload"),
    path("staff/visits/<uuid:visit_id>/photos/", views.photo_list, name="photo_list"),
    path(STAFF_PHOTO, views.photo_image, name="photo_image"),
    path(f"{STAFF_PHOTO}/caption", views.photo_caption, name="photo_caption"),
    path(f"{STAFF_PHOTO}/discard", views.photo_discard, name="photo_discard"),
    path(f"{STAFF_PHOTO}/mask", views_idcheck.photo_mask, name="photo_mask"),
]
