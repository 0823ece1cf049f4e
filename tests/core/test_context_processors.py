from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import translation

from videocontact.accounts.models import Organisation
from videocontact.core.context_processors import branding


def test_branding_without_organisation(rf: RequestFactory, settings: Any) -> None:
    settings.RESIDENT_UI_LANGUAGES = ["nl", "ar"]
    with translation.override("nl"):
        context = branding(rf.get("/"))
    assert context["brand_name"] == settings.BRAND_NAME
    assert context["organisation"] is None
    assert context["text_direction"] == "ltr"
    assert context["settings_languages"] == [("nl", "Nederlands"), ("ar", "العربية")]


@pytest.mark.django_db
def test_branding_with_organisation_and_rtl(rf: RequestFactory, organisation: Organisation) -> None:
    request = rf.get("/")
    request.organisation = organisation  # type: ignore[attr-defined]
    with translation.override("ar"):
        context = branding(request)
    assert context["brand_name"] == "Gemeente Voorbeeldstad"
    assert context["text_direction"] == "rtl"
