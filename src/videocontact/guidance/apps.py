from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "videocontact.guidance"
    label = "guidance"
    default_auto_field = "django.db.models.BigAutoField"
