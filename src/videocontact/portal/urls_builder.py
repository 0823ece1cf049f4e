from django.urls import path

from videocontact.portal import views_builder as builder

app_name = "questionnaires"

urlpatterns = [
    path("staff/questionnaires/", builder.builder_list, name="builder_list"),
    path("staff/questionnaires/new", builder.builder_edit, name="builder_new"),
    path("staff/questionnaires/<int:template_id>/", builder.builder_edit, name="builder_edit"),
    path("staff/questionnaires/check", builder.builder_check, name="builder_check"),
    path("staff/questionnaires/publish", builder.builder_publish, name="builder_publish"),
    path("staff/questionnaires/preview", builder.builder_preview, name="builder_preview"),
]
