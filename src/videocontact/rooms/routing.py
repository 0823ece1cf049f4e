from django.urls import path, re_path

from videocontact.rooms.consumers import RoomConsumer
from videocontact.rooms.not_found import NotFoundConsumer

websocket_urlpatterns = [
    path("ws/visits/<uuid:visit_id>/", RoomConsumer.as_asgi()),
]
# Last, after every app's WebSocket routes (asgi.py): any other path is refused, not a 500.
not_found_urlpatterns = [re_path(r"", NotFoundConsumer.as_asgi())]
