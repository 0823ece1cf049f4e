from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from videocontact.accounts import services
from videocontact.accounts.logo_image import MAX_UPLOAD_BYTES, CleanLogo, clean_logo
from videocontact.accounts.models import Membership, Organisation, Process, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [MembershipInline]


class OrganisationForm(forms.ModelForm):
    """The logo is uploaded as a file and re-encoded (accounts/logo_image.py) before it is kept."""

    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "A PNG, JPEG or WebP image of at most 2 MB. It is made smaller and saved again "
            "without its metadata. A wide logo with a transparent background looks best."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    logo_delete = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "display_name_policy",
            "primary_colour",
            "primary_text_colour",
            "logo_has_name",
            "logo_svg",
            "contact_phone",
            "accessibility_statement",
            "privacy_statement",
        ]

    def clean_logo_upload(self) -> CleanLogo | None:
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The logo file is larger than 2 MB. Please use a smaller file."),
                code="logo_image",
            )
        return clean_logo(upload.read(MAX_UPLOAD_BYTES + 1))


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ["name", "slug", "display_name_policy"]
    readonly_fields = ["current_logo"]

    @admin.display(description=_("Current logo"))
    def current_logo(self, organisation: Organisation) -> str:
        if not organisation.logo_url:
            return str(_("No logo yet."))
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}">',
            organisation.logo_url,
            organisation.logo_width,
            organisation.logo_height,
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        logo = form.cleaned_data.get("logo_upload")
        if logo is not None:
            services.logo_replace(organisation=obj, logo=logo)
        elif form.cleaned_data.get("logo_delete"):
            services.logo_remove(organisation=obj)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["department", "name", "organisation"]


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "retention_days"]
