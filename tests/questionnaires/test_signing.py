"""What a signature is bound to, and the checks on the drawn signature."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.questionnaires.definitions import COMPLETE_ANSWERS, STROKES, full_definition, png
from videocontact.questionnaires.signing import (
    MAX_PNG_BYTES,
    SignatureInvalid,
    canonical_payload,
    check_strokes,
    decode_png,
    sha256_hex,
    signed_answers,
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_signed_answers_are_the_visible_non_empty_ones_in_template_order() -> None:
    answers = {
        "remarks": "",  # empty
        "benefits": [],  # empty
        "housing": "own",
        "housing_other": "a boat",  # hidden: housing is not "other"
        "has_partner": False,
        "partner_works": True,  # hidden: no partner
        "partner_income": 1200,  # hidden: depends on a hidden question
        "name": "Amina",
        "household": None,  # cleared
        "unknown": "not in the template",
    }
    signed = signed_answers(full_definition(), answers)
    assert signed == {"name": "Amina", "has_partner": False, "housing": "own"}
    assert list(signed) == ["name", "has_partner", "housing"]


def test_signed_answers_include_shown_conditional_questions() -> None:
    answers = {
        **COMPLETE_ANSWERS,
        "has_partner": True,
        "partner_works": True,
        "partner_income": 1200,
        "housing": "other",
        "housing_other": "a boat",
        "benefits": ["rent_allowance"],
    }
    assert signed_answers(full_definition(), answers) == {
        "name": "Amina Haddad",
        "birth_date": "1990-04-01",
        "household": 3,
        "has_partner": True,
        "partner_works": True,
        "partner_income": 1200,
        "housing": "other",
        "housing_other": "a boat",
        "benefits": ["rent_allowance"],
    }


def test_canonical_payload() -> None:
    signed_at = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    text = canonical_payload(
        visit_id="7c1f0e5e-0000-4000-8000-000000000001",
        template_code="test-intake",
        version=2,
        answers={"name": "Zoë ع", "household": 3, "has_partner": False},
        signed_at=signed_at,
    )
    assert text == (
        '{"answers":{"has_partner":false,"household":3,"name":"Zoë ع"},'
        '"signed_at":"2026-03-01T09:30:15.123456+00:00","template":"test-intake",'
        '"version":2,"visit":"7c1f0e5e-0000-4000-8000-000000000001"}'
    )
    assert json.loads(text)["answers"]["name"] == "Zoë ع"  # UTF-8, not \u escapes
    assert sha256_hex(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_canonical_payload_keeps_the_offset_of_the_time() -> None:
    amsterdam = timezone(timedelta(hours=1))
    text = canonical_payload(
        visit_id="v",
        template_code="t",
        version=1,
        answers={},
        signed_at=datetime(2026, 3, 1, 10, 0, tzinfo=amsterdam),
    )
    assert '"signed_at":"2026-03-01T10:00:00+01:00"' in text


def test_a_real_png_is_accepted() -> None:
    image = png(300, 120)
    assert decode_png(b64(image)) == image


def test_png_of_the_largest_allowed_size() -> None:
    image = png(2400, 1)
    assert decode_png(b64(image)) == image
    padded = png()
    padded += b"\x00" * (MAX_PNG_BYTES - len(padded))
    assert decode_png(b64(padded)) == padded


def header_only(width: int, height: int) -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", width, height)
    )


BAD_PNG: list[tuple[str, str, str]] = [
    ("not base64", "not base64!", "base64"),
    ("data URL", "data:image/png;base64," + b64(png()), "base64"),
    ("base64 with a newline", b64(png())[:8] + "\n" + b64(png())[8:], "base64"),
    ("empty", "", "not a PNG"),
    ("a JPEG", b64(b"\xff\xd8\xff\xe0" + b"\x00" * 40), "not a PNG"),
    ("magic only", b64(b"\x89PNG\r\n\x1a\n"), "not a PNG"),
    ("cut off in the header", b64(png()[:16]), "not a PNG"),
    ("cut off in the size", b64(png()[:20]), "not a PNG"),
    ("no IHDR first", b64(png().replace(b"IHDR", b"IDAT", 1)), "not a PNG"),
    ("zero width", b64(header_only(0, 10)), "impossible dimensions"),
    ("too wide", b64(header_only(2401, 10)), "impossible dimensions"),
    ("too high", b64(header_only(10, 2401)), "impossible dimensions"),
    ("huge", b64(header_only(2**31, 2**31)), "impossible dimensions"),
    ("too many bytes", b64(png() + b"\x00" * MAX_PNG_BYTES), "too large"),
    # Found when pen-tested: a PNG that is only a (correct) header was sealed into a report.
    ("a header only", b64(png(320, 120).split(b"IDAT")[0][:-4]), "not a PNG"),
    ("no image data", b64(png(320, 120).replace(b"IDAT", b"tEXt", 1)), "not a PNG"),
    ("cut off in the image data", b64(png(320, 120)[:-20]), "not a PNG"),
    ("a broken checksum", b64(png(320, 120)[:-13] + b"\x00" + png(320, 120)[-12:]), "not a PNG"),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in BAD_PNG], ids=[c[0] for c in BAD_PNG])
def test_bad_png(data: str, message: str) -> None:
    with pytest.raises(SignatureInvalid, match=message):
        decode_png(data)


def test_strokes() -> None:
    assert check_strokes(STROKES) == STROKES
    assert check_strokes([[[0, 0]]]) == [[[0, 0]]]
    assert check_strokes([[[0.5, 1.5, 3]]] * 300) == [[[0.5, 1.5, 3]]] * 300
    assert check_strokes([[[1, 2]] * 30_000]) == [[[1, 2]] * 30_000]


BAD_STROKES: list[tuple[str, Any]] = [
    ("none", None),
    ("no strokes", []),
    ("a dict", {"strokes": []}),
    ("301 strokes", [[[1, 2]]] * 301),
    ("an empty stroke", [[[1, 2]], []]),
    ("a stroke that is not a list", [[[1, 2]], "line"]),
    ("a point that is a number", [[1, 2]]),
    ("a point with one value", [[[1]]]),
    ("a point with four values", [[[1, 2, 3, 4]]]),
    ("a point with a string", [[[1, "2"]]]),
    ("a point with a bool", [[[True, 2]]]),
    ("a point with null", [[[1, None]]]),
    ("a point with NaN", [[[float("nan"), 2]]]),
    ("a point at infinity", [[[1, float("inf")]]]),
    ("too many points", [[[1, 2]] * 15_000, [[1, 2]] * 15_001]),
]


@pytest.mark.parametrize("strokes", [c[1] for c in BAD_STROKES], ids=[c[0] for c in BAD_STROKES])
def test_bad_strokes(strokes: Any) -> None:
    with pytest.raises(SignatureInvalid):
        check_strokes(strokes)


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in BAD_PNG], ids=[c[0] for c in BAD_PNG])
def test_bad_png_even_with_truncated_images_allowed(
    data: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(SignatureInvalid, match=message):
        decode_png(data)
