from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from videocontact.privacy.models import AuditEvent, RetentionClock


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["at", "action", "object_type", "object_id", "actor_user", "visit_id"]
    list_filter = ["action"]
    search_fields = ["object_id", "visit_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RetentionClock)
class RetentionClockAdmin(admin.ModelAdmin):
    """Read-only: the clock is started by the export, never by hand."""

    list_display = ["visit", "started_at", "purge_after", "reason"]
    list_filter = ["reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
