"""A photo question in the report: the photos the caseworker took for it appear at the question
(they are also listed with their hashes under Photos)."""

from __future__ import annotations

from videocontact.reports.content import _sections

DEFINITION = {
    "schema_version": 1,
    "code": "vocht",
    "title": {"nl": "Vocht"},
    "languages": {"nl": "source"},
    "sections": [
        {
            "id": "woning",
            "title": {"nl": "Woning"},
            "questions": [
                {"id": "vocht", "type": "yes_no", "label": {"nl": "Is er vocht?"}},
                {
                    "id": "foto_vocht",
                    "type": "photo",
                    "label": {"nl": "Laat de vochtplek zien"},
                    "show_if": {"question": "vocht", "equals": True},
                },
                {"id": "foto_gevel", "type": "photo", "label": {"nl": "Laat de gevel zien"}},
            ],
        }
    ],
}


def test_photos_appear_at_their_question() -> None:
    photos = {"foto_vocht": [(1, "report:photo/1"), (3, "report:photo/3")]}
    [block] = _sections(DEFINITION, {"vocht": True}, None, photos)
    rows = {row.question.nl: row for row in block.rows}
    damp = rows["Laat de vochtplek zien"]
    assert damp.photos == ((1, "report:photo/1"), (3, "report:photo/3"))
    assert damp.answered and damp.answer.nl == "Foto 1, 3"
    facade = rows["Laat de gevel zien"]
    assert facade.photos == () and not facade.answered


def test_a_hidden_photo_question_is_left_out() -> None:
    [block] = _sections(DEFINITION, {"vocht": False}, None, {})
    assert [row.question.nl for row in block.rows] == ["Is er vocht?", "Laat de gevel zien"]
