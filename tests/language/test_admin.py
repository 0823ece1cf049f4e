"""The admin's language page: engines that really work here, and what still needs review."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from videocontact.accounts.models import Process
from videocontact.language import review
from videocontact.language.models import CaptionSettings
from videocontact.questionnaires.models import TemplateVersion


@pytest.mark.django_db
def test_review_lists_machine_translations(template_version: TemplateVersion) -> None:
    items = review.needs_review()
    assert not [i for i in items if i.kind == "questionnaire"]  # nl source, en reviewed
    mine = {(i.name, i.language, i.status) for i in items if i.kind == "catalog"}
    assert ("language", "ar", "machine") in mine
    assert ("language", "en", "reviewed") not in mine and ("language", "nl", "source") not in mine
    definition = dict(template_version.definition, languages={"nl": "source", "en": "machine"})
    TemplateVersion.objects.create(
        template=template_version.template, number=2, definition=definition
    )
    assert [(i.language, i.status) for i in review.needs_review() if i.kind == "questionnaire"] == [
        ("en", "machine")
    ]


@pytest.mark.django_db
def test_engines_page(admin_client: Client, process: Process, template_version: Any) -> None:
    response = admin_client.get("/admin/language/captionsettings/engines/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "espeak-ng" in page and "Translations that still need review" in page
    assert admin_client.get("/admin/language/captionsettings/").status_code == 200
    CaptionSettings.objects.create(process=process, keep_transcript=True)
    assert (
        "Aanvraag bijstand" in admin_client.get("/admin/language/captionsettings/").content.decode()
    )
