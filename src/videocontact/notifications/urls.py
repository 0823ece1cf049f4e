"""URLs of the notifications app (included at the site root by videocontact.urls)."""

from django.urls import path

from videocontact.notifications import views

app_name = "notifications"

urlpatterns = [
    path(
        "staff/visits/<uuid:visit_id>/participants/<uuid:participant_id>/contact",
        views.contact_edit,
        name="contact_edit",
    ),
    path(
        "staff/visits/<uuid:visit_id>/participants/<uuid:participant_id>/send",
        views.invitation_send,
        name="invitation_send",
    ),
    path(
        "staff/visits/<uuid:visit_id>/messages/<int:message_id>/resend",
        views.message_resend,
        name="message_resend",
    ),
    path("staff/visits/<uuid:visit_id>/reschedule", views.visit_reschedule, name="reschedule"),
    path("staff/visits/<uuid:visit_id>/cancel", views.visit_cancel, name="cancel"),
    path("hooks/cm/status/<str:secret>", views.cm_status_report, name="cm_status_report"),
]
