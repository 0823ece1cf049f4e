"""One answer checked against its question: the normalised value, or an error code."""

from __future__ import annotations

from typing import Any

import pytest

from tests.questionnaires.definitions import full_definition
from videocontact.questionnaires.answers import MESSAGES, AnswerInvalid, clean_answer, is_empty
from videocontact.questionnaires.definition import Question, question_map

QUESTIONS = question_map(full_definition())


def make(type_: str, **data: Any) -> Question:
    return Question(id="q", type=type_, data={"id": "q", "type": type_, "label": {}, **data})


VALID: list[tuple[str, Any, Any]] = [
    # (question id, value, normalised value)
    ("name", "Amina", "Amina"),
    ("name", "", ""),
    ("name", "x" * 40, "x" * 40),
    ("name", "  spaces kept  ", "  spaces kept  "),
    ("name", "عائشة 🙂", "عائشة 🙂"),
    ("remarks", "r" * 4000, "r" * 4000),  # default limit of a long text
    ("housing_other", "y" * 500, "y" * 500),
    ("birth_date", "1990-04-01", "1990-04-01"),
    ("birth_date", "2024-02-29", "2024-02-29"),
    ("household", 1, 1),
    ("household", 12, 12),
    ("household", 2.5, 2.5),
    ("household", 3.0, 3.0),
    ("partner_income", 0, 0),
    ("partner_income", 10**9, 10**9),  # no maximum
    ("has_partner", True, True),
    ("has_partner", False, False),
    ("housing", "own", "own"),
    ("benefits", [], []),
    ("benefits", ["care_allowance"], ["care_allowance"]),
    # normalised to template order, without duplicates
    (
        "benefits",
        ["child_budget", "rent_allowance", "child_budget", "rent_allowance"],
        ["rent_allowance", "child_budget"],
    ),
]


@pytest.mark.parametrize(("question", "value", "expected"), VALID)
def test_valid(question: str, value: Any, expected: Any) -> None:
    cleaned = clean_answer(QUESTIONS[question], value)
    assert cleaned == expected
    assert type(cleaned) is type(expected)


INVALID: list[tuple[str, Any, str]] = [
    # (question id, value, error code)
    ("name", "x" * 41, "too_long"),
    ("remarks", "r" * 4001, "too_long"),
    ("housing_other", "y" * 501, "too_long"),
    ("name", 12, "type"),
    ("name", True, "type"),
    ("name", ["Amina"], "type"),
    ("name", {"nl": "Amina"}, "type"),
    ("household", True, "type"),  # bool is not a number
    ("household", False, "type"),
    ("household", "3", "type"),
    ("household", [3], "type"),
    ("household", float("nan"), "type"),
    ("household", float("inf"), "type"),
    ("household", float("-inf"), "type"),
    ("household", 0, "too_small"),
    ("household", 0.999, "too_small"),
    ("household", -5, "too_small"),
    ("household", 13, "too_large"),
    ("household", 12.01, "too_large"),
    ("partner_income", -1, "too_small"),
    ("birth_date", "2026-02-30", "date"),
    ("birth_date", "2025-02-29", "date"),
    ("birth_date", "2026-13-01", "date"),
    ("birth_date", "01-04-1990", "date"),
    ("birth_date", "1990-4-1", "date"),
    ("birth_date", "19900401", "date"),
    ("birth_date", "1990-04-01T00:00", "date"),
    ("birth_date", "", "date"),
    ("birth_date", 19900401, "date"),
    ("birth_date", True, "date"),
    ("has_partner", "yes", "type"),
    ("has_partner", 1, "type"),
    ("has_partner", 0, "type"),
    ("has_partner", "true", "type"),
    ("housing", "castle", "option"),
    ("housing", "Rent", "option"),
    ("housing", "", "option"),
    ("housing", ["rent"], "option"),
    ("housing", 1, "option"),
    ("benefits", ["rent_allowance", "yacht"], "option"),
    ("benefits", "rent_allowance", "type"),
    ("benefits", [1], "type"),
    ("benefits", [None], "type"),
    ("benefits", {"rent_allowance": True}, "type"),
    ("intro", "hello", "not_answerable"),
    ("house_photo", "data:image/png;base64,AAAA", "not_answerable"),
    ("consent_sig", "x", "not_answerable"),
]


@pytest.mark.parametrize(("question", "value", "code"), INVALID)
def test_invalid(question: str, value: Any, code: str) -> None:
    with pytest.raises(AnswerInvalid) as caught:
        clean_answer(QUESTIONS[question], value)
    assert caught.value.code == code
    assert caught.value.message == str(MESSAGES[code])


@pytest.mark.parametrize("question", [q for q, x in QUESTIONS.items() if x.answerable])
def test_none_clears(question: str) -> None:
    assert clean_answer(QUESTIONS[question], None) is None


@pytest.mark.parametrize("question", ["intro", "house_photo", "consent_sig"])
def test_not_answerable_even_to_clear(question: str) -> None:
    with pytest.raises(AnswerInvalid) as caught:
        clean_answer(QUESTIONS[question], None)
    assert caught.value.code == "not_answerable"


def test_default_limits() -> None:
    assert clean_answer(make("short_text"), "s" * 200) == "s" * 200
    with pytest.raises(AnswerInvalid, match="too_long"):
        clean_answer(make("short_text"), "s" * 201)
    # the limit counts characters, not bytes
    assert clean_answer(make("short_text", max_length=3), "€€€") == "€€€"


def test_numbers_without_bounds() -> None:
    question = make("number")
    assert clean_answer(question, -(10**12)) == -(10**12)
    assert clean_answer(question, 1e300) == 1e300


def test_min_and_max_may_be_fractions() -> None:
    question = make("number", min=0.5, max=1.5)
    assert clean_answer(question, 0.5) == 0.5
    with pytest.raises(AnswerInvalid, match="too_small"):
        clean_answer(question, 0.49)
    with pytest.raises(AnswerInvalid, match="too_large"):
        clean_answer(question, 2)


def test_every_code_has_a_message() -> None:
    for code in ("type", "too_long", "too_small", "too_large", "date", "option", "not_answerable"):
        assert AnswerInvalid(code).message


@pytest.mark.parametrize(
    ("value", "empty"),
    [
        (None, True),
        ("", True),
        ([], True),
        (" ", False),
        (0, False),
        (False, False),
        (["a"], False),
    ],
)
def test_is_empty(value: Any, empty: bool) -> None:
    assert is_empty(value) is empty
