from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "videocontact.api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from videocontact.api import receivers  # noqa: F401  (state changes → webhooks)
