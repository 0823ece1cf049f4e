"""The questionnaire checker's messages (questionnaires/definition.py, technical English with a
JSON path) in plain words for the builder. The technical text stays in the JSON answer."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _language_list(codes: str) -> str:
    return ", ".join(
        str(LANGUAGE_NAMES.get(code.strip(), code.strip())) for code in codes.split(",")
    )


def friendly(path: str, message: str) -> str:
    """A B1 sentence for the most common problems; the original message otherwise."""
    if match := re.fullmatch(r"missing language\(s\) (.+)", message):
        return _("The text is missing in: %(languages)s.") % {
            "languages": _language_list(match.group(1))
        }
    if message.startswith("duplicate id") or message.startswith("duplicate option value"):
        return _("This name is used twice. Every question and choice needs its own name.")
    if message.endswith("must be an earlier question"):
        return _("The condition must point to a question that comes earlier.")
    if "does not match" in message and path.endswith((".id", ".value")):
        return _("Use only small letters, digits and _, and start with a letter.")
    if "does not match" in message and path.endswith(".code"):
        return _("Use only small letters, digits and dashes.")
    if "should be non-empty" in message or "is too short" in message:
        if path.endswith((".options", ".questions", ".sections")):
            return _("There are too few items here.")
        return _("This text is empty.")
    if "is a required property" in message:
        return _("Something required is missing here.")
    return message
