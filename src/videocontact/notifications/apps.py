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
        self.register_lobby_details()

    @staticmethod
    def register_lobby_details() -> None:
        from videocontact.notifications.selectors import code_statuses
        from videocontact.rooms.selectors import register_lobby_details

        # The caseworker's waiting-room panel shows who is stuck at the SMS code step.
        register_lobby_details(
            lambda visit_id: {
                pid: {"code": status} for pid, status in code_statuses(visit_id).items()
            }
        )
