from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from videocontact.insights.models import BusinessCase, ProblemCategory, Score, TechAnswer
from videocontact.insights.selectors.scope import Period, default_period

MAX_PERIOD_DAYS = 366
COMMENT_MAX = 1000


class PeriodForm(forms.Form):
    # <input type=date> needs ISO dates whatever the page's language.
    first = forms.DateField(
        label=_("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    last = forms.DateField(
        label=_("Up to and including"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)

    def __init__(self, data: Any, *, units: list[tuple[int, str]]) -> None:
        default = default_period()
        if not data.get("first") and not data.get("last"):
            data = {**data.dict(), "first": default.first, "last": default.last}
        super().__init__(data)
        self.fields["unit"].choices = [("", _("All units")), *units]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first"), cleaned.get("last")
        if isinstance(first, date) and isinstance(last, date):
            if last < first:
                raise forms.ValidationError(_("The end of the period is before its start."))
            if last - first > timedelta(days=MAX_PERIOD_DAYS):
                raise forms.ValidationError(_("Choose a period of at most a year."))
        return cleaned

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["first"], self.cleaned_data["last"])


class RatingForm(forms.Form):
    """Both questions are optional: a resident may answer one, both, or skip the form."""

    ease = forms.TypedChoiceField(
        label=_("Was it easy to use?"),
        choices=Score.choices,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    appreciation = forms.TypedChoiceField(
        label=_("Do you like talking to us this way?"),
        choices=Score.choices,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us? (optional)"),
        help_text=_("Please do not write your name or other personal details here."),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_comment(self) -> str:
        text = self.cleaned_data.get("comment", "").strip()
        if any(ord(c) < 32 and c not in "\n\r\t" for c in text):
            raise forms.ValidationError(_("This text contains characters that are not allowed."))
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not (
            cleaned.get("ease") or cleaned.get("appreciation") or cleaned.get("comment")
        ):
            raise forms.ValidationError(_("Choose an answer, or skip this question."))
        return cleaned


class TechCheckForm(forms.Form):
    answer = forms.TypedChoiceField(
        label=_("Did the technology work?"),
        choices=TechAnswer.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    problem = forms.ChoiceField(
        label=_("What went wrong? (optional)"), choices=ProblemCategory.choices, required=False
    )


class BusinessCaseForm(forms.ModelForm):
    class Meta:
        model = BusinessCase
        fields = [
            "travel_minutes",
            "visit_minutes",
            "staff_count",
            "km_per_visit",
            "cost_per_km",
            "cost_per_staff_hour",
            "co2_grams_per_km",
        ]
