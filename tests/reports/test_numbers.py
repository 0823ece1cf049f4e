"""A sealed report shows a numeric answer exactly as it was given, formatted for each language."""

from __future__ import annotations

import json

import pytest

from videocontact.questionnaires.definition import Question
from videocontact.reports.content import _answer, format_number

NUMBER = Question(id="n", type="number", data={"id": "n", "type": "number"})


@pytest.mark.parametrize(
    ("value", "nl", "ar"),
    [
        (0, "0", "0"),
        (7, "7", "7"),
        (650.5, "650,5", "650.5"),
        (12345.67, "12.345,67", "12,345.67"),
        (1234567, "1.234.567", "1,234,567"),
        (1234567.891, "1.234.567,891", "1,234,567.891"),
        (0.1234567, "0,1234567", "0.1234567"),
        (-42, "-42", "-42"),
        (-12345.67, "-12.345,67", "-12,345.67"),
        (98765432109876543, "98.765.432.109.876.543", "98,765,432,109,876,543"),
        (1e16, "10.000.000.000.000.000", "10,000,000,000,000,000"),
    ],
)
def test_numbers_are_exact_and_localised(value: float, nl: str, ar: str) -> None:
    stored = json.loads(json.dumps(value))  # the answer as it comes back from the JSON column
    text, answered, free_text = _answer(NUMBER, stored, "ar")
    assert (text.nl, answered, free_text) == (nl, True, False)
    assert strip_marks(text.other or "") == ar
    assert strip_marks(format_number(stored, "ar")) == ar


def test_no_other_language_means_no_second_column() -> None:
    text, _, _ = _answer(NUMBER, 12345.67, None)
    assert (text.nl, text.other) == ("12.345,67", None)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("tr", "12.345,67"), ("pl", "12\xa0345,67"), ("uk", "12\xa0345,67"), ("en", "12,345.67")],
)
def test_resident_languages(language: str, expected: str) -> None:
    assert format_number(12345.67, language) == expected


def strip_marks(text: str) -> str:
    return text.replace("\u200e", "").replace("\u200f", "").replace("\u061c", "")


def test_a_number_stored_as_text_is_read_digit_for_digit() -> None:
    text, _, free_text = _answer(NUMBER, "12345.67890123456789012", "ar")
    assert (text.nl, free_text) == ("12.345,67890123456789012", False)
    text, _, free_text = _answer(NUMBER, "not a number", None)
    assert (text.nl, free_text) == ("not a number", True)
