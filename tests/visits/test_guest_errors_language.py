"""The guest form's error texts follow each request's language (they were frozen at import)."""

from __future__ import annotations

from django.utils import translation

from videocontact.portal.views_staff import GUEST_ERRORS


def test_guest_errors_are_translated_per_request() -> None:
    with translation.override("en"):
        english = str(GUEST_ERRORS["closed"])
    with translation.override("nl"):
        dutch = str(GUEST_ERRORS["closed"])
    assert english == "The visit has ended: you cannot add guests any more."
    assert dutch != english
