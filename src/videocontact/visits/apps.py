from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "videocontact.visits"
    label = "visits"
    default_auto_field = "django.db.models.BigAutoField"
