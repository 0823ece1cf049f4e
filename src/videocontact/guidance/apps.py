from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "videocontact.guidance"
    label = "guidance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from videocontact.guidance import receivers  # noqa: F401 (connects the receivers)
