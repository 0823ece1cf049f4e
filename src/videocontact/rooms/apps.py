from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class RoomsConfig(AppConfig):
    name = "videocontact.rooms"
    label = "rooms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The room's own frames, then every installed app's `frames` module (frame registry).
        from videocontact.rooms import handlers, receivers  # noqa: F401
        from videocontact.rooms.selectors import admitted_count
        from videocontact.visits.occupancy import register_counter

        autodiscover_modules("frames")
        # The 4-person limit counts the participants the room knows to be there.
        register_counter(admitted_count)
