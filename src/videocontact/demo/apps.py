from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "videocontact.demo"
    label = "demo"
