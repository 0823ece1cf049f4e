from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "videocontact.dossier"
    label = "dossier"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from videocontact.dossier import receivers  # noqa: F401  (connects to reports signals)
        from videocontact.dossier.selectors import visit_is_filed
        from videocontact.visits.phase import register_filed_check

        register_filed_check(visit_is_filed)
