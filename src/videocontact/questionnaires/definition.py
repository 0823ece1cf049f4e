"""Questionnaire definitions: validation against the published JSON Schema, plus the rules a
schema cannot express (unique ids, conditions that point backwards)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).parent / "schema" / "questionnaire.schema.json"
ANSWERABLE = frozenset(
    {"short_text", "long_text", "number", "date", "yes_no", "single_choice", "multiple_choice"}
)


class DefinitionError(ValueError):
    """An invalid template file; `path` is a JSON path like $.sections[0].questions[2].label."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def validate_definition(data: Any) -> None:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        path, message = list(first.absolute_path), first.message
        forbidden = first.validator_value if first.validator == "not" else None
        if isinstance(forbidden, dict) and list(forbidden) == ["required"]:
            # `{"not": {"required": [key]}}`: name the key instead of dumping the whole object
            key = forbidden["required"][0]
            path, message = [*path, key], f"{key!r} is not allowed here"
            if key == "options":
                message = "only single_choice and multiple_choice questions have options"
        raise DefinitionError(_json_path(path), message)
    languages = data["languages"]
    _check_languages(data, ("title", "description"), languages, "$")
    seen: set[str] = set()
    section_ids: set[str] = set()
    for s_index, section in enumerate(data["sections"]):
        if section["id"] in section_ids:
            raise DefinitionError(f"$.sections[{s_index}].id", f"duplicate id {section['id']!r}")
        section_ids.add(section["id"])
        _check_languages(section, ("title",), languages, f"$.sections[{s_index}]")
        for q_index, question in enumerate(section["questions"]):
            where = f"$.sections[{s_index}].questions[{q_index}]"
            if question["id"] in seen:
                raise DefinitionError(f"{where}.id", f"duplicate id {question['id']!r}")
            condition = question.get("show_if")
            if condition and condition["question"] not in seen:
                raise DefinitionError(
                    f"{where}.show_if.question",
                    f"{condition['question']!r} must be an earlier question",
                )
            _check_languages(question, ("label", "help"), languages, where)
            values: set[str] = set()
            for o_index, option in enumerate(question.get("options", [])):
                if option["value"] in values:
                    raise DefinitionError(
                        f"{where}.options[{o_index}].value",
                        f"duplicate option value {option['value']!r}",
                    )
                values.add(option["value"])
                _check_languages(option, ("label",), languages, f"{where}.options[{o_index}]")
            seen.add(question["id"])


def _check_languages(
    node: dict[str, Any], keys: tuple[str, ...], languages: dict[str, str], where: str
) -> None:
    """Every text is given in every language of the template."""
    for key in keys:
        text = node.get(key)
        if text is None:
            continue
        missing = sorted(set(languages) - set(text))
        if missing:
            raise DefinitionError(f"{where}.{key}", f"missing language(s) {', '.join(missing)}")


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    data: dict[str, Any]

    @property
    def required(self) -> bool:
        return bool(self.data.get("required"))

    @property
    def answerable(self) -> bool:
        return self.type in ANSWERABLE

    @property
    def option_values(self) -> list[str]:
        return [option["value"] for option in self.data.get("options", [])]

    def label(self, language: str, fallback: str = "nl") -> str:
        text = self.data["label"]
        return text.get(language) or text.get(fallback) or next(iter(text.values()))


def questions(definition: dict[str, Any]) -> list[Question]:
    return [
        Question(id=q["id"], type=q["type"], data=q)
        for section in definition["sections"]
        for q in section["questions"]
    ]


def question_map(definition: dict[str, Any]) -> dict[str, Question]:
    return {q.id: q for q in questions(definition)}


def visible_ids(definition: dict[str, Any], answers: dict[str, Any]) -> set[str]:
    """The questions shown for these answers. A question whose `show_if` names a hidden question
    is hidden too (a stale answer to a hidden question counts for nothing). Conditions point to
    earlier questions, so one pass in template order settles all of them. Comparison is strict,
    as in JavaScript: `true` does not equal `1`."""
    shown: set[str] = set()
    for question in questions(definition):
        condition = question.data.get("show_if")
        if condition is None or (
            condition["question"] in shown
            and _same(answers.get(condition["question"]), condition["equals"])
        ):
            shown.add(question.id)
    return shown


def _same(answer: Any, expected: Any) -> bool:
    return isinstance(answer, bool) == isinstance(expected, bool) and answer == expected
