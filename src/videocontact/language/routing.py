from django.urls import path

from videocontact.language.consumers import CaptionAudioConsumer

websocket_urlpatterns = [
    path("ws/visits/<uuid:visit_id>/captions/", CaptionAudioConsumer.as_asgi()),
]
