"""The checker's technical messages in plain Dutch for the builder."""

from __future__ import annotations

import pytest

from videocontact.portal.builder_messages import friendly


@pytest.mark.parametrize(
    ("path", "message", "expected"),
    [
        ("$.title", "missing language(s) ar, tr", "De tekst ontbreekt in: العربية, Türkçe."),
        ("$.sections[0].questions[1].id", "duplicate id 'naam'", "Deze naam komt twee keer voor."),
        ("$.sections[0].questions[1].id", "'Naam' does not match '^[a-z]'", "kleine letters"),
        ("$.sections[0].questions[1].label.nl", "'' should be non-empty", "Deze tekst is leeg."),
        ("$.sections[0].questions[2].options", "[] should be non-empty", "te weinig"),
        (
            "$.sections[0].questions[2].show_if.question",
            "'x' must be an earlier question",
            "eerder",
        ),
        ("$.x", "something else", "something else"),
    ],
)
def test_friendly(path: str, message: str, expected: str) -> None:
    assert expected in friendly(path, message)
