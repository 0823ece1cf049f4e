from django.urls import path

from videocontact.rooms.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/visits/<uuid:visit_id>/", RoomConsumer.as_asgi()),
]
