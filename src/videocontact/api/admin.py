"""API clients, their webhooks and the delivery log, for functional administrators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from videocontact.api.clients import client_save, webhook_save
from videocontact.api.models import ApiClient, Scope, WebhookDelivery, WebhookEndpoint
from videocontact.api.webhooks import JOB_KIND
from videocontact.jobs.models import Job
from videocontact.jobs.services import job_retry_now


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    new_secret = forms.BooleanField(
        label=_("Make a new secret"),
        required=False,
        help_text=_("The old secret stops working at once. The new one is shown once."),
    )

    class Meta:
        model = ApiClient
        fields = [
            "organisation",
            "name",
            "client_id",
            "kind",
            "scopes",
            "units",
            "rate_limit_per_minute",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = data.get("organisation")
        units = data.get("units") or []
        if organisation and any(u.organisation_id != organisation.pk for u in units):
            self.add_error("units", _("Choose units of the client's own organisation."))
        if self.instance.pk and data.get("kind") != self.instance.kind:
            data["new_secret"] = True  # another kind of credential needs a new secret
        return data


def _show_secret(request: HttpRequest, label: str, secret: str) -> None:
    messages.warning(
        request,
        _(
            "%(label)s: %(secret)s — copy it now: it is stored encrypted or hashed and never shown again."
        )
        % {"label": label, "secret": secret},
    )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ["name", "client_id", "organisation", "kind", "is_active", "last_used_at"]
    list_filter = ["organisation", "kind", "is_active"]
    filter_horizontal = ["units"]
    readonly_fields = ["last_used_at", "created_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        self._shown = client_save(
            client=obj, new_secret=form.cleaned_data.get("new_secret", False), by_user=request.user
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        shown = getattr(self, "_shown", None)
        if shown:
            _show_secret(request, str(_("Client credential")), shown)


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    new_secret = forms.BooleanField(label=_("Make a new signing secret"), required=False)

    class Meta:
        model = WebhookEndpoint
        fields = ["client", "url", "is_active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.startswith("https://"):
            raise forms.ValidationError(_("Use an https:// address."))
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["client", "url", "is_active", "created_at"]
    list_filter = ["is_active", "client"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        shown = webhook_save(
            endpoint=obj,
            new_secret=form.cleaned_data.get("new_secret", False),
            by_user=request.user,
        )
        if shown:
            _show_secret(request, str(_("Webhook signing secret")), shown)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent where, how often, and how it ended."""

    list_display = ["created_at", "event_type", "endpoint", "state", "attempts", "last_status"]
    list_filter = ["state", "event_type", "endpoint__client"]
    search_fields = ["visit_id"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Try a failed delivery again"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        for delivery in queryset.filter(state="failed"):
            job = Job.objects.filter(dedupe_key=f"{JOB_KIND}:{delivery.id}").first()
            if job is None:
                continue
            delivery.state, delivery.attempts = "retrying", 0
            delivery.save(update_fields=["state", "attempts"])
            job_retry_now(job=job)
