from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "videocontact.privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every app that holds a visit's data says how to delete it in its `retention.py`.
        autodiscover_modules("retention")
        from videocontact.privacy import modules, receivers  # noqa: F401 (connects the signals)
