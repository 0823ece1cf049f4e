from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    """Staff sign-in: throttling, single sign-on, second factors, sessions and their timeouts."""

    name = "videocontact.signin"
    label = "signin"
    verbose_name = _("Staff sign-in")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from videocontact.signin import receivers  # noqa: F401 (connects the signal receivers)
