"""Template definitions: the published JSON Schema plus the rules it cannot express. An invalid
file is refused with the JSON path of the first problem."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.questionnaires.definitions import full_definition, minimal_definition, options, text
from videocontact.questionnaires.definition import (
    SCHEMA_PATH,
    DefinitionError,
    question_map,
    questions,
    validate_definition,
    visible_ids,
)

Change = Callable[[dict[str, Any]], Any]


def q(data: dict[str, Any], section: int, index: int) -> dict[str, Any]:
    return data["sections"][section]["questions"][index]


def test_the_schema_file_is_valid_json_schema() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


@pytest.mark.parametrize("make", [full_definition, minimal_definition])
def test_valid_definitions_pass(make: Callable[[], dict[str, Any]]) -> None:
    validate_definition(make())


def test_optional_parts_may_be_left_out() -> None:
    data = minimal_definition()
    q(data, 0, 0).pop("required")
    validate_definition(data)  # no description, no help, not required


def test_all_six_languages() -> None:
    data = minimal_definition()
    six = {"nl": "source", "en": "reviewed", "ar": "machine", "tr": "machine", "pl": "machine"}
    data["languages"] = {**six, "uk": "machine"}
    everything = {code: f"tekst {code}" for code in data["languages"]}
    data["title"] = data["sections"][0]["title"] = q(data, 0, 0)["label"] = everything
    validate_definition(data)


INVALID: list[tuple[str, Change, str, str]] = [
    # (case, change to the full definition, expected path, part of the message)
    (
        "missing label language",
        lambda d: q(d, 0, 1)["label"].pop("en"),
        "$.sections[0].questions[1].label",
        "missing language(s) en",
    ),
    (
        "missing help language",
        lambda d: q(d, 0, 1)["help"].pop("nl"),
        "$.sections[0].questions[1].help",
        "missing language(s) nl",
    ),
    (
        "missing option label language",
        lambda d: q(d, 1, 0)["options"][2]["label"].pop("en"),
        "$.sections[1].questions[0].options[2].label",
        "missing language(s) en",
    ),
    (
        "missing section title language",
        lambda d: d["sections"][1]["title"].pop("en"),
        "$.sections[1].title",
        "missing language(s) en",
    ),
    (
        "missing title language",
        lambda d: d["title"].pop("nl"),
        "$.title",
        "missing language(s) nl",
    ),
    (
        "missing description language",
        lambda d: d["description"].pop("en"),
        "$.description",
        "missing language(s) en",
    ),
    (
        "text in a language the template does not declare",
        lambda d: q(d, 0, 1)["label"].update(xx="?"),
        "$.sections[0].questions[1].label",
        "'xx' is not one of",
    ),
    (
        "empty text",
        lambda d: q(d, 0, 2)["label"].update(en=""),
        "$.sections[0].questions[2].label.en",
        "should be non-empty",
    ),
    (
        "wrong type value",
        lambda d: q(d, 0, 3).update(type="dropdown"),
        "$.sections[0].questions[3].type",
        "'dropdown' is not one of",
    ),
    (
        "options on a text question",
        lambda d: q(d, 0, 1).update(options=options("a", "b")),
        "$.sections[0].questions[1].options",
        "only single_choice and multiple_choice questions have options",
    ),
    (
        "missing options on a choice",
        lambda d: q(d, 1, 0).pop("options"),
        "$.sections[1].questions[0]",
        "'options' is a required property",
    ),
    (
        "a single option",
        lambda d: q(d, 1, 2).update(options=options("only")),
        "$.sections[1].questions[2].options",
        "is too short",
    ),
    (
        "duplicate option value",
        lambda d: q(d, 1, 0).update(options=options("rent", "own", "rent")),
        "$.sections[1].questions[0].options[2].value",
        "duplicate option value 'rent'",
    ),
    (
        "bad option value",
        lambda d: q(d, 1, 0)["options"][1].update(value="Own House"),
        "$.sections[1].questions[0].options[1].value",
        "does not match",
    ),
    (
        "duplicate question id",
        lambda d: q(d, 1, 3).update(id="name"),
        "$.sections[1].questions[3].id",
        "duplicate id 'name'",
    ),
    (
        "duplicate question id within a section",
        lambda d: q(d, 0, 2).update(id="name"),
        "$.sections[0].questions[2].id",
        "duplicate id 'name'",
    ),
    (
        "duplicate section id",
        lambda d: d["sections"][1].update(id="person"),
        "$.sections[1].id",
        "duplicate id 'person'",
    ),
    (
        "bad question id",
        lambda d: q(d, 0, 1).update(id="Naam!"),
        "$.sections[0].questions[1].id",
        "does not match",
    ),
    (
        "show_if refers to a later question",
        lambda d: q(d, 0, 1).update(show_if={"question": "housing", "equals": "rent"}),
        "$.sections[0].questions[1].show_if.question",
        "'housing' must be an earlier question",
    ),
    (
        "show_if refers to itself",
        lambda d: q(d, 0, 1).update(show_if={"question": "name", "equals": "x"}),
        "$.sections[0].questions[1].show_if.question",
        "'name' must be an earlier question",
    ),
    (
        "show_if refers to an unknown question",
        lambda d: q(d, 1, 3).update(show_if={"question": "nobody", "equals": True}),
        "$.sections[1].questions[3].show_if.question",
        "'nobody' must be an earlier question",
    ),
    (
        "show_if without equals",
        lambda d: q(d, 0, 5)["show_if"].pop("equals"),
        "$.sections[0].questions[5].show_if",
        "'equals' is a required property",
    ),
    (
        "show_if equals a list",
        lambda d: q(d, 0, 5)["show_if"].update(equals=[True]),
        "$.sections[0].questions[5].show_if.equals",
        "is not of type",
    ),
    (
        "unknown top-level key",
        lambda d: d.update(colour="red"),
        "$",
        "('colour' was unexpected)",
    ),
    (
        "unknown question key",
        lambda d: q(d, 0, 3).update(step=1),
        "$.sections[0].questions[3]",
        "('step' was unexpected)",
    ),
    (
        "bad code pattern",
        lambda d: d.update(code="Intake Form"),
        "$.code",
        "does not match",
    ),
    (
        "code too short",
        lambda d: d.update(code="x"),
        "$.code",
        "does not match",
    ),
    (
        "unknown schema version",
        lambda d: d.update(schema_version=2),
        "$.schema_version",
        "1 was expected",
    ),
    (
        "missing code",
        lambda d: d.pop("code"),
        "$",
        "'code' is a required property",
    ),
    (
        "unknown language",
        lambda d: d["languages"].update(xx="machine"),
        "$.languages",
        "'xx' is not one of",
    ),
    (
        "unknown translation status",
        lambda d: d["languages"].update(en="google"),
        "$.languages.en",
        "is not one of ['source', 'reviewed', 'machine']",
    ),
    (
        "no languages",
        lambda d: d.update(languages={}),
        "$.languages",
        "should be non-empty",
    ),
    (
        "no sections",
        lambda d: d.update(sections=[]),
        "$.sections",
        "should be non-empty",
    ),
    (
        "section without questions",
        lambda d: d["sections"][1].update(questions=[]),
        "$.sections[1].questions",
        "should be non-empty",
    ),
    (
        "max_length over the limit",
        lambda d: q(d, 1, 1).update(max_length=5001),
        "$.sections[1].questions[1].max_length",
        "is greater than the maximum of 5000",
    ),
    (
        "max_length zero",
        lambda d: q(d, 0, 1).update(max_length=0),
        "$.sections[0].questions[1].max_length",
        "is less than the minimum of 1",
    ),
    (
        "min not a number",
        lambda d: q(d, 0, 3).update(min="1"),
        "$.sections[0].questions[3].min",
        "is not of type 'number'",
    ),
    (
        "required not a boolean",
        lambda d: q(d, 0, 1).update(required="yes"),
        "$.sections[0].questions[1].required",
        "is not of type 'boolean'",
    ),
]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_invalid_definitions_are_refused_with_the_path(
    change: Change, path: str, message: str
) -> None:
    data = full_definition()
    change(data)
    with pytest.raises(DefinitionError) as caught:
        validate_definition(data)
    assert caught.value.path == path
    assert message in caught.value.message
    assert str(caught.value) == f"{path}: {caught.value.message}"


@pytest.mark.parametrize("data", [None, [], "intake", 1])
def test_not_an_object(data: Any) -> None:
    with pytest.raises(DefinitionError) as caught:
        validate_definition(data)
    assert caught.value.path == "$"
    assert "is not of type 'object'" in caught.value.message


def test_options_error_does_not_dump_the_question() -> None:
    data = full_definition()
    q(data, 0, 1)["options"] = options("a", "b")
    with pytest.raises(DefinitionError) as caught:
        validate_definition(data)
    assert "Naam" not in caught.value.message


def test_the_first_problem_in_path_order_is_reported() -> None:
    data = full_definition()
    q(data, 1, 0)["type"] = "dropdown"
    q(data, 0, 3)["max"] = "12"
    with pytest.raises(DefinitionError) as caught:
        validate_definition(data)
    assert caught.value.path == "$.sections[0].questions[3].max"


def test_validation_does_not_change_the_data() -> None:
    data = full_definition()
    before = copy.deepcopy(data)
    validate_definition(data)
    assert data == before


# Reading a definition ----------------------------------------------------------------------


def test_questions_in_template_order() -> None:
    data = full_definition()
    assert [x.id for x in questions(data)] == [
        "intro",
        "name",
        "birth_date",
        "household",
        "has_partner",
        "partner_works",
        "partner_income",
        "housing",
        "housing_other",
        "benefits",
        "remarks",
        "house_photo",
        "consent_sig",
    ]
    by_id = question_map(data)
    assert by_id["name"].required and not by_id["remarks"].required
    assert [k for k, x in by_id.items() if not x.answerable] == [
        "intro",
        "house_photo",
        "consent_sig",
    ]
    assert by_id["housing"].option_values == ["rent", "own", "other"]
    assert by_id["name"].label("en") == "Name"
    assert by_id["name"].label("ar") == "Naam"  # falls back to Dutch
    only_en = minimal_definition(label={"en": "Answer"})
    assert question_map(only_en)["answer"].label("tr") == "Answer"


def test_visibility() -> None:
    data = full_definition()
    always = {"intro", "name", "birth_date", "household", "has_partner", "housing", "benefits"}
    always |= {"remarks", "house_photo", "consent_sig"}
    assert visible_ids(data, {}) == always
    assert visible_ids(data, {"has_partner": True}) == always | {"partner_works"}
    assert visible_ids(data, {"has_partner": True, "partner_works": True}) == always | {
        "partner_works",
        "partner_income",
    }
    assert visible_ids(data, {"housing": "other"}) == always | {"housing_other"}
    assert visible_ids(data, {"housing": "own"}) == always


def test_a_question_depending_on_a_hidden_question_is_hidden() -> None:
    data = full_definition()
    # partner_works still holds "yes" from before has_partner was switched to no
    assert "partner_income" not in visible_ids(data, {"has_partner": False, "partner_works": True})


def test_show_if_compares_strictly() -> None:
    data = minimal_definition()
    data["sections"][0]["questions"] += [
        {"id": "count", "type": "number", "label": text("Aantal")},
        {
            "id": "one",
            "type": "short_text",
            "label": text("Een"),
            "show_if": {"question": "count", "equals": 1},
        },
    ]
    validate_definition(data)
    assert "one" in visible_ids(data, {"count": 1})
    assert "one" in visible_ids(data, {"count": 1.0})
    assert "one" not in visible_ids(data, {"count": True})  # true is not 1
    assert "one" not in visible_ids(data, {"count": "1"})
