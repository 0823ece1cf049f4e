from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "videocontact.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from videocontact.notifications import receivers  # noqa: F401  (connects the signals)
