"""Forms of the notifications app: contact details, sending, moving a visit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocontact.notifications.models import Channel
from videocontact.notifications.phone import normalise_mobile


class ContactFieldsMixin:
    """E-mail and mobile number fields, shared by the new-visit form and the contact form."""

    def clean_mobile(self) -> str:
        raw = self.cleaned_data.get("mobile", "")  # type: ignore[attr-defined]
        return normalise_mobile(raw) if raw.strip() else ""

    def clean_email(self) -> str:
        return self.cleaned_data.get("email", "").strip().lower()  # type: ignore[attr-defined]


def email_field() -> forms.EmailField:
    return forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


def mobile_field() -> forms.CharField:
    return forms.CharField(
        label=_("Mobile number (optional)"),
        required=False,
        max_length=32,
        help_text=_("For example 06 12345678. We send the invitation and reminders to it."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class AccessibleErrorsMixin:
    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                self.fields[name].widget.attrs.update(  # type: ignore[attr-defined]
                    {"aria-invalid": "true", "aria-describedby": f"{self.auto_id % name}-error"}  # type: ignore[attr-defined]
                )


class ContactForm(ContactFieldsMixin, AccessibleErrorsMixin, forms.Form):
    email = email_field()
    mobile = mobile_field()
    language = forms.ChoiceField(label=_("Language of the messages"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "contact")
        super().__init__(*args, **kwargs)


class SendForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices)


class RescheduleForm(AccessibleErrorsMixin, forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("New date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "move")
        super().__init__(*args, **kwargs)

    def clean_scheduled_at(self) -> Any:
        value = self.cleaned_data["scheduled_at"]
        if value < timezone.now() - timedelta(minutes=5):
            raise forms.ValidationError(_("Choose a moment in the future."))
        return value
