"""Functional administrators edit messaging settings and message texts per process."""

from __future__ import annotations

from django.contrib import admin

from videocontact.notifications.models import Message, MessageText, MessagingSettings
from videocontact.notifications.placeholders import PLACEHOLDERS


@admin.register(MessagingSettings)
class MessagingSettingsAdmin(admin.ModelAdmin):
    list_display = ["process", "require_sms_code", "reminder_minutes"]
    list_select_related = ["process__unit"]


@admin.register(MessageText)
class MessageTextAdmin(admin.ModelAdmin):
    list_display = ["process", "kind", "channel", "language", "subject"]
    list_filter = ["kind", "channel", "language"]
    list_select_related = ["process__unit"]
    fields = ["process", "kind", "channel", "language", "subject", "body"]

    def get_form(self, request, obj=None, change=False, **kwargs):  # type: ignore[no-untyped-def]
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["body"].help_text = "Placeholders: " + ", ".join(
            "{" + name + "}" for name in sorted(PLACEHOLDERS)
        )
        return form


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only delivery records (no text is stored, only where and how it went)."""

    list_display = ["kind", "channel", "state", "recipient_masked", "send_at", "sent_at"]
    list_filter = ["state", "kind", "channel"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
