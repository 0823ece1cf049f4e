from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocontact.accounts.models import Process
from videocontact.notifications.forms import ContactFieldsMixin, email_field, mobile_field


class VisitCreateForm(ContactFieldsMixin, forms.Form):
    WHEN_CHOICES = [("now", _("Now")), ("planned", _("Planned"))]

    process = forms.ModelChoiceField(queryset=Process.objects.none(), label=_("Process"))
    resident_name = forms.CharField(label=_("Resident's name"), max_length=160)
    resident_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial="nl"
    )
    when = forms.ChoiceField(
        label=_("When"), choices=WHEN_CHOICES, initial="now", widget=forms.RadioSelect
    )
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    case_reference = forms.CharField(
        label=_("Case reference (optional)"), max_length=80, required=False
    )
    # Contact details (notifications app): the invitation is sent to what is filled in.
    email = email_field()
    mobile = mobile_field()

    def __init__(self, *args: Any, processes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == "planned":
            scheduled = data.get("scheduled_at")
            if scheduled is None:
                self.add_error("scheduled_at", _("Choose a date and time."))
            elif scheduled < timezone.now() - timedelta(minutes=5):
                self.add_error("scheduled_at", _("Choose a moment in the future."))
        else:
            data["scheduled_at"] = None
        return data

    def full_clean(self) -> None:
        super().full_clean()
        # Tie each error message to its field for screen readers (ids match the template).
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )


class GuestForm(forms.Form):
    """Add a guest to a visit: an interpreter or family member (own link), or a colleague."""

    ROLE_CHOICES = [
        ("interpreter", _("Interpreter")),
        ("family", _("Family member or helper")),
        ("colleague", _("Second caseworker")),
    ]

    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, widget=forms.RadioSelect)
    display_name = forms.CharField(
        label=_("Name of the guest"),
        max_length=160,
        required=False,
        help_text=_("For an interpreter or family member. Everyone in the call sees this name."),
    )
    language = forms.ChoiceField(
        label=_("Language the guest speaks"),
        choices=settings.LANGUAGES,
        initial="nl",
        required=False,
        help_text=_("For an interpreter: the language they translate to and from."),
    )
    # Separate from the spoken language: an interpreter for Arabic may want Dutch screens.
    interface_language = forms.ChoiceField(
        label=_("Language of the guest's screens"),
        choices=[(c, n) for c, n in settings.LANGUAGES if c in settings.RESIDENT_UI_LANGUAGES],
        initial="nl",
        required=False,  # not sent (an older page): Dutch, never the spoken language unasked
        help_text=_("The pages and buttons the guest sees."),
    )
    colleague = forms.ModelChoiceField(
        label=_("Colleague"),
        queryset=Process.objects.none(),
        required=False,
        empty_label=_("Choose a colleague"),
        help_text=_("Only for a second caseworker: a colleague of the same unit."),
    )

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["colleague"]
        field.queryset = colleagues  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: user.get_full_name() or user.username  # type: ignore[attr-defined]

    def clean_interface_language(self) -> str:
        return self.cleaned_data.get("interface_language") or settings.LANGUAGE_CODE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role == "colleague":
            if data.get("colleague") is None:
                self.add_error("colleague", _("Choose a colleague."))
        elif role in ("interpreter", "family") and not (data.get("display_name") or "").strip():
            self.add_error("display_name", _("Enter the name of the guest."))
        return data

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )
