from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "videocontact.dossier"
    label = "dossier"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from videocontact.dossier import receivers  # noqa: F401  (connects to reports signals)
