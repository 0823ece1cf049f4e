"""URLs of the guidance app (included at the site root by videocontact.urls)."""

from django.urls import path

from videocontact.guidance import views

app_name = "guidance"

urlpatterns = [
    path("help/videos/<int:pk>/file", views.video_file, name="video_file"),
    path("help/videos/<int:pk>/poster.jpg", views.video_poster, name="video_poster"),
    path("help/videos/<int:pk>/captions.vtt", views.video_captions, name="video_captions"),
    path("check", views.device_check, name="check"),
    path("check/turn", views.turn_credentials, name="check_turn"),
]
