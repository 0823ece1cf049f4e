"""URLs of the dossier app (included at the site root by videocontact.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
