"""Validating one answer against its question. Error codes map to translated messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from videocontact.core.errors import ServiceError
from videocontact.questionnaires.definition import Question

DEFAULT_MAX_LENGTH = {"short_text": 200, "long_text": 4000}
MESSAGES = {
    "required": _("Please answer this question."),
    "type": _("This answer has the wrong form."),
    "too_long": _("This answer is too long."),
    "too_small": _("This number is too small."),
    "too_large": _("This number is too large."),
    "date": _("Please enter a valid date."),
    "option": _("Please choose one of the options."),
    "not_answerable": _("This question does not take an answer."),
}


class AnswerInvalid(ServiceError, ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


def clean_answer(question: Question, value: Any) -> Any:
    """The normalised value, or AnswerInvalid. `None` clears an answer."""
    if not question.answerable:
        raise AnswerInvalid("not_answerable")
    if value is None:
        return None
    cleaner = _CLEANERS[question.type]
    return cleaner(question, value)


def _text(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        raise AnswerInvalid("type")
    limit = question.data.get("max_length", DEFAULT_MAX_LENGTH[question.type])
    if len(value) > limit:
        raise AnswerInvalid("too_long")
    return value


def _number(question: Question, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AnswerInvalid("type")
    if value != value or value in (float("inf"), float("-inf")):  # NaN / infinity
        raise AnswerInvalid("type")
    if "min" in question.data and value < question.data["min"]:
        raise AnswerInvalid("too_small")
    if "max" in question.data and value > question.data["max"]:
        raise AnswerInvalid("too_large")
    return value


def _date(question: Question, value: Any) -> str:
    if not isinstance(value, str) or len(value) != 10:
        raise AnswerInvalid("date")
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise AnswerInvalid("date") from exc


def _yes_no(question: Question, value: Any) -> bool:
    if not isinstance(value, bool):
        raise AnswerInvalid("type")
    return value


def _single(question: Question, value: Any) -> str:
    if not isinstance(value, str) or value not in question.option_values:
        raise AnswerInvalid("option")
    return value


def _multiple(question: Question, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerInvalid("type")
    allowed = question.option_values
    if any(v not in allowed for v in value):
        raise AnswerInvalid("option")
    return [v for v in allowed if v in value]  # template order, no duplicates


_CLEANERS = {
    "short_text": _text,
    "long_text": _text,
    "number": _number,
    "date": _date,
    "yes_no": _yes_no,
    "single_choice": _single,
    "multiple_choice": _multiple,
}


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []
