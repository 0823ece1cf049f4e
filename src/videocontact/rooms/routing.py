from django.urls import path, re_path

from videocontact.rooms.consumers import RoomConsumer
from videocontact.rooms.not_found import NotFoundConsumer

websocket_urlpatterns = [
    path("ws/visits/<uuid:visit_id>/", RoomConsumer.as_asgi()),
    re_path(r"", NotFoundConsumer.as_asgi()),  # any other path: refused, not a 500
]
