from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "videocontact.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from videocontact.notifications import receivers  # noqa: F401  (connects the signals)
        from videocontact.notifications.selectors import code_passed
        from videocontact.visits.access import register_step

        # Two-channel join: the SMS code is a step of the resident access gate, before consent.
        register_step("code", code_passed)
