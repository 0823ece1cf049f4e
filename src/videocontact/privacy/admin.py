from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from videocontact.accounts.models import Role
from videocontact.privacy.models import (
    AuditEvent,
    Dpia,
    LegalHold,
    RetentionClock,
    StorageApproval,
)


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


def _is_privacy_officer(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_active
        and (user.is_superuser or user.memberships.filter(role=Role.PRIVACY_OFFICER).exists())
    )


@admin.register(Dpia)
class DpiaAdmin(admin.ModelAdmin):
    """The DPIA registry: kept by the privacy officer (saves are in the audit trail)."""

    list_display = ["title", "organisation", "module", "status", "decided_at", "review_due"]
    list_filter = ["status", "organisation"]
    search_fields = ["title", "module", "document_reference"]

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(
            organisation__units__memberships__user=request.user,
            organisation__units__memberships__role=Role.PRIVACY_OFFICER,
        ).distinct()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_privacy_officer(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_privacy_officer(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_privacy_officer(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_privacy_officer(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a DPIA is withdrawn, not deleted


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    """Read-only: holds are set and lifted on the privacy officer's page (audited)."""

    list_display = ["visit", "reason", "set_by", "set_at", "lifted_by", "lifted_at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_privacy_officer(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_privacy_officer(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StorageApproval)
class StorageApprovalAdmin(admin.ModelAdmin):
    """Read-only: the privacy officer approves on their own page, each time a new version."""

    list_display = ["process", "version", "photos", "report", "notes", "transcript"]
    list_filter = ["photos", "report", "notes", "transcript"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
