from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


def branding(request: HttpRequest) -> dict[str, Any]:
    """Organisation branding and text direction for every template."""
    organisation = getattr(request, "organisation", None)
    return {
        "brand_name": organisation.name if organisation else settings.BRAND_NAME,
        "organisation": organisation,
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "settings_languages": [
            (code, name)
            for code, name in settings.LANGUAGES
            if code in settings.RESIDENT_UI_LANGUAGES
        ],
    }
