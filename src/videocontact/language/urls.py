"""URLs of the language app (included at the site root by videocontact.urls)."""

from django.urls import path

from videocontact.language import views

app_name = "language"

urlpatterns = [
    path("speech/languages", views.speech_languages, name="speech_languages"),
    path(
        "speech/<uuid:visit_id>/<slug:question_id>/<slug:language>.opus",
        views.question_speech,
        name="question_speech",
    ),
    path("staff/language/pairs", views.translation_pairs, name="translation_pairs"),
    path(
        "staff/visits/<uuid:visit_id>/language/translate-answers",
        views.answers_translate,
        name="answers_translate",
    ),
]
