"""ASGI entry point: HTTP through Django, WebSockets through the room router."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocontact.conf.dev")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402
from django.conf import settings  # noqa: E402

from videocontact.evidence.asgi import limit_photo_uploads  # noqa: E402
from videocontact.language.routing import websocket_urlpatterns as language_ws  # noqa: E402
from videocontact.rooms.middleware import RoomAuthMiddleware  # noqa: E402
from videocontact.rooms.routing import not_found_urlpatterns, websocket_urlpatterns  # noqa: E402

if settings.JOBS_IN_PROCESS:
    # Embedded mode: background jobs run in a thread of the server (no separate worker needed).
    from videocontact.jobs.worker import start_in_background

    start_in_background(settings.JOBS_POLL_SECONDS)

if settings.ROOM_LIVENESS_IN_PROCESS:
    # This process's heartbeat, and the sweep of dead processes' connections (no ghosts).
    from videocontact.rooms.liveness import start_in_background as start_liveness

    start_liveness()

application = ProtocolTypeRouter(
    {
        "http": limit_photo_uploads(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            SessionMiddlewareStack(
                RoomAuthMiddleware(
                    URLRouter(websocket_urlpatterns + language_ws + not_found_urlpatterns)
                )
            )
        ),
    }
)

# Everything loaded so far (Django, the apps, their modules: about 135,000 objects) lives as long
# as the process. Without this every full collection walks all of it: 0.1-0.3 s with the event
# loop stopped, which is where the relay latency's tail came from (docs/performance.md).
gc.freeze()
