from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "videocontact.portal"
    label = "portal"

    def ready(self) -> None:
        from videocontact.portal import admin_groups, admin_policy

        admin_groups.install()
        admin_policy.install()
