from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "videocontact.portal"
    label = "portal"
