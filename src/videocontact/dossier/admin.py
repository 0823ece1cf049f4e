"""Functional administrators configure where each process files its reports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from videocontact.dossier.models import Export, ExportItem, ExportTarget, TargetKind
from videocontact.dossier.services import target_save

REQUIRED = {
    TargetKind.ZGW: [
        "documenten_url",
        "zaken_url",
        "client_id",
        "bronorganisatie",
        "informatieobjecttype",
    ],
    TargetKind.WEBHOOK: ["webhook_url"],
    TargetKind.DOWNLOAD: [],
}


def _https_urls(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ExportTargetForm(forms.ModelForm):
    # Write-only: the saved secret is never rendered back (render_value=False).
    secret = forms.CharField(
        label=_("secret"),
        required=False,
        max_length=500,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "ZGW: the client secret. Webhook: the signing secret. Stored encrypted and never "
            "shown again. Leave empty to keep the current secret."
        ),
    )

    class Meta:
        model = ExportTarget
        formfield_callback = _https_urls
        fields = [
            "process",
            "kind",
            "name",
            "enabled",
            "documenten_url",
            "zaken_url",
            "client_id",
            "user_id",
            "user_representation",
            "bronorganisatie",
            "informatieobjecttype",
            "vertrouwelijkheidaanduiding",
            "webhook_url",
            "secret_env",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        for field in REQUIRED.get(kind, []):  # type: ignore[call-overload,arg-type]
            if not data.get(field):
                self.add_error(field, _("This is needed for this kind of export."))
        if kind in (TargetKind.ZGW, TargetKind.WEBHOOK):
            has_secret = bool(data.get("secret") or data.get("secret_env"))
            if not has_secret and not self.instance.secret_blob_name:
                self.add_error(
                    "secret", _("Enter a secret, or the name of an environment variable.")
                )
        if kind == TargetKind.WEBHOOK and data.get("webhook_url", "").startswith("http://"):
            self.add_error("webhook_url", _("Use an https:// address."))
        return data


@admin.register(ExportTarget)
class ExportTargetAdmin(admin.ModelAdmin):
    form = ExportTargetForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "process", "enabled", "secret_status"]
    list_filter = ["kind", "enabled", "process"]
    readonly_fields = ["secret_status"]

    @admin.display(description=_("secret"))
    def secret_status(self, obj: ExportTarget) -> str:
        if obj.secret_env:
            return str(_("from environment variable %(name)s") % {"name": obj.secret_env})
        return str(_("set (encrypted)") if obj.secret_blob_name else _("not set"))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        target_save(
            target=obj,
            secret=form.cleaned_data.get("secret") or None,
            by_user=request.user,  # type: ignore[arg-type]
        )  # type: ignore[arg-type]


class ExportItemInline(admin.TabularInline):
    model = ExportItem
    fields = ["identificatie", "kind", "state", "document_url", "link_url", "error", "sent_at"]
    readonly_fields = fields  # type: ignore[assignment]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    """Read-only overview for support; retrying is done from the visit page."""

    list_display = ["created_at", "target", "visit", "state", "attempts", "next_attempt_at"]
    list_filter = ["state", "target"]
    inlines = [ExportItemInline]
    readonly_fields = [f.name for f in Export._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
