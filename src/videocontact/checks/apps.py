from django.apps import AppConfig


class ChecksConfig(AppConfig):
    """DPIA-gated checks in the call (issue 13): the location check."""

    name = "videocontact.checks"
    label = "checks"
    default_auto_field = "django.db.models.BigAutoField"
