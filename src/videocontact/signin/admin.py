from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from videocontact.signin import services
from videocontact.signin.models import (
    GroupRoleMapping,
    OrganisationSignInPolicy,
    SsoIdentity,
    StaffSession,
    WebAuthnCredential,
)


@admin.register(GroupRoleMapping)
class GroupRoleMappingAdmin(admin.ModelAdmin):
    list_display = ["group", "unit", "role"]
    list_filter = ["role", "unit__organisation"]
    search_fields = ["group"]


@admin.register(OrganisationSignInPolicy)
class OrganisationSignInPolicyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "require_second_factor"]


@admin.register(StaffSession)
class StaffSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "method", "ip_prefix", "created_at", "last_seen_at"]
    readonly_fields = [
        "user",
        "session_key",
        "method",
        "user_agent",
        "ip_prefix",
        "created_at",
        "last_seen_at",
    ]
    exclude = ["session_key"]


@admin.register(WebAuthnCredential)
class WebAuthnCredentialAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "last_used_at"]
    fields = ["user", "name", "created_at", "last_used_at"]
    readonly_fields = ["user", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # registered by the staff member's own browser only


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "issuer", "subject", "last_sign_in_at"]
    readonly_fields = ["user", "issuer", "subject", "last_groups", "last_sign_in_at"]


@admin.action(description=_("Lift the sign-in lockout"))
def lift_lockout(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: object) -> None:
    for username in {attempt.username for attempt in queryset if attempt.username}:  # type: ignore[attr-defined]
        services.lockout_reset(username=username, by=request.user)  # type: ignore[arg-type]
    modeladmin.message_user(request, _("The lockout is lifted."), messages.SUCCESS)


def _add_axes_action() -> None:
    """Axes registers its own AccessAttempt admin; deleting a row there also lifts a lockout,
    this action does it with an audit event."""
    from axes.models import AccessAttempt

    model_admin = admin.site._registry.get(AccessAttempt)
    if model_admin is not None:
        model_admin.actions = [*(model_admin.actions or []), lift_lockout]


_add_axes_action()
