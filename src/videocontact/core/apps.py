from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "videocontact.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from videocontact.core import logredact

        logredact.install()
