"""What still needs a human translator: questionnaire languages and message catalogs whose
status is not `source` or `reviewed`.

A questionnaire gives a status per language in its `languages` object; a catalog in its
`X-Translation-Status` header (source / reviewed / machine); a catalog without one needs review."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from videocontact.questionnaires.models import QuestionnaireTemplate

DONE = frozenset({"source", "reviewed"})
ROOT = Path(__file__).resolve().parent.parent  # src/videocontact


@dataclass(frozen=True)
class ReviewItem:
    kind: str  # questionnaire | catalog
    name: str
    language: str
    status: str
    entries: int


def questionnaire_items() -> list[ReviewItem]:
    items = []
    for template in QuestionnaireTemplate.objects.select_related("process").order_by("code"):
        version = template.latest_version()
        if version is None:
            continue
        for language, status in version.definition.get("languages", {}).items():
            items.append(
                ReviewItem(
                    "questionnaire",
                    f"{template.name} v{version.number}",
                    language,
                    status,
                    0,
                )
            )
    return items


def catalog_items() -> list[ReviewItem]:
    items = []
    for path in sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po")):
        catalog = polib.pofile(str(path))
        language = path.parent.parent.name
        app = path.relative_to(ROOT).parts[0]
        status = catalog.metadata.get("X-Translation-Status", "")
        if not status:
            status = "source" if language == "nl" else "unknown"
        items.append(
            ReviewItem(
                "catalog",
                "project" if app == "locale" else app,
                language,
                status,
                len(catalog.translated_entries()),
            )
        )
    return items


def needs_review() -> list[ReviewItem]:
    return [i for i in questionnaire_items() + catalog_items() if i.status not in DONE]
