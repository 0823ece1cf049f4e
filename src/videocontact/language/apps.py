from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "videocontact.language"
    label = "language"
    default_auto_field = "django.db.models.BigAutoField"
