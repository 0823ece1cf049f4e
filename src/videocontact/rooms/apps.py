from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class RoomsConfig(AppConfig):
    name = "videocontact.rooms"
    label = "rooms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The room's own frames, then every installed app's `frames` module (frame registry).
        from videocontact.rooms import handlers  # noqa: F401

        autodiscover_modules("frames")
