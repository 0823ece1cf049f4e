from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "videocontact.ops"
    label = "ops"

    def ready(self) -> None:
        from prometheus_client import REGISTRY

        from videocontact.ops.metrics import CaptionWorkersCollector, DatabaseCollector

        if not getattr(REGISTRY, "_ovc_database_collector", False):
            REGISTRY.register(DatabaseCollector())
            REGISTRY.register(CaptionWorkersCollector())
            REGISTRY._ovc_database_collector = True  # type: ignore[attr-defined]
