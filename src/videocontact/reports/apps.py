from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "videocontact.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from videocontact.evidence.services import register_photo_holder
        from videocontact.reports import receivers  # noqa: F401  (connects the signals)
        from videocontact.reports.receivers import report_holds_photo

        # A photo in a built report stays: evidence refuses to discard it.
        register_photo_holder(report_holds_photo)
