"""Small questionnaire definitions for the tests (independent of the shipped template files):
every question type, `show_if` (also chained), `required`, options, `max_length`, `min`/`max`,
two languages."""

from __future__ import annotations

import struct
import zlib
from typing import Any


def text(nl: str, en: str | None = None) -> dict[str, str]:
    return {"nl": nl, "en": en or f"{nl} (en)"}


def options(*values: str) -> list[dict[str, Any]]:
    return [{"value": v, "label": text(v.capitalize())} for v in values]


def full_definition(code: str = "test-intake") -> dict[str, Any]:
    """A fresh copy each call (tests may change it)."""
    return {
        "schema_version": 1,
        "code": code,
        "title": text("Intake", "Intake"),
        "description": text("Vragen over uw situatie", "Questions about your situation"),
        "languages": {"nl": "source", "en": "reviewed"},
        "sections": [
            {
                "id": "person",
                "title": text("Over u", "About you"),
                "questions": [
                    {"id": "intro", "type": "info", "label": text("Welkom", "Welcome")},
                    {
                        "id": "name",
                        "type": "short_text",
                        "label": text("Naam", "Name"),
                        "help": text("Zoals in uw paspoort", "As in your passport"),
                        "required": True,
                        "max_length": 40,
                    },
                    {
                        "id": "birth_date",
                        "type": "date",
                        "label": text("Geboortedatum", "Date of birth"),
                        "required": True,
                    },
                    {
                        "id": "household",
                        "type": "number",
                        "label": text("Aantal personen", "Household size"),
                        "required": True,
                        "min": 1,
                        "max": 12,
                    },
                    {
                        "id": "has_partner",
                        "type": "yes_no",
                        "label": text("Heeft u een partner?", "Do you have a partner?"),
                        "required": True,
                    },
                    {
                        "id": "partner_works",
                        "type": "yes_no",
                        "label": text("Werkt uw partner?", "Does your partner work?"),
                        "required": True,
                        "show_if": {"question": "has_partner", "equals": True},
                    },
                    {
                        "id": "partner_income",
                        "type": "number",
                        "label": text("Inkomen partner", "Partner's income"),
                        "required": True,
                        "min": 0,
                        "show_if": {"question": "partner_works", "equals": True},
                    },
                ],
            },
            {
                "id": "housing",
                "title": text("Wonen", "Housing"),
                "questions": [
                    {
                        "id": "housing",
                        "type": "single_choice",
                        "label": text("Woonsituatie", "Housing"),
                        "required": True,
                        "options": options("rent", "own", "other"),
                    },
                    {
                        "id": "housing_other",
                        "type": "long_text",
                        "label": text("Namelijk", "Namely"),
                        "required": True,
                        "max_length": 500,
                        "show_if": {"question": "housing", "equals": "other"},
                    },
                    {
                        "id": "benefits",
                        "type": "multiple_choice",
                        "label": text("Toeslagen", "Allowances"),
                        "options": options("rent_allowance", "care_allowance", "child_budget"),
                    },
                    {"id": "remarks", "type": "long_text", "label": text("Opmerkingen", "Remarks")},
                    {"id": "house_photo", "type": "photo", "label": text("Foto", "Photo")},
                    {"id": "consent_sig", "type": "signature", "label": text("Handtekening")},
                ],
            },
        ],
    }


# The required questions that are visible before anything is answered, in template order.
REQUIRED_AT_START = ["name", "birth_date", "household", "has_partner", "housing"]

# Answers that make the full definition complete (partner questions and housing_other hidden).
COMPLETE_ANSWERS: dict[str, Any] = {
    "name": "Amina Haddad",
    "birth_date": "1990-04-01",
    "household": 3,
    "has_partner": False,
    "housing": "rent",
}


def minimal_definition(code: str = "test-mini", **question: Any) -> dict[str, Any]:
    """One section with one required short text (overridable)."""
    return {
        "schema_version": 1,
        "code": code,
        "title": text("Mini"),
        "languages": {"nl": "source", "en": "machine"},
        "sections": [
            {
                "id": "main",
                "title": text("Hoofd"),
                "questions": [
                    {
                        "id": "answer",
                        "type": "short_text",
                        "label": text("Antwoord"),
                        "required": True,
                        **question,
                    }
                ],
            }
        ],
    }


def png(width: int = 4, height: int = 2) -> bytes:
    """A real (tiny, grey) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


STROKES = [[[10, 10, 0], [20, 15, 16], [30, 12.5, 33]], [[12, 30], [40, 31]]]
