from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "videocontact.insights"
    label = "insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from videocontact.insights import receivers  # noqa: F401  (connects the signals)
