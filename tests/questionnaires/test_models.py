"""A template version that a visit used is frozen; changes become a new version."""

from __future__ import annotations

import pytest

from tests import factories
from tests.questionnaires.definitions import full_definition
from videocontact.accounts.models import Process, User
from videocontact.questionnaires import services
from videocontact.questionnaires.models import ImmutableVersion, Questionnaire, TemplateVersion

pytestmark = pytest.mark.django_db


def test_an_unused_version_may_still_be_corrected(template_version: TemplateVersion) -> None:
    assert not template_version.in_use
    template_version.definition["title"]["en"] = "Corrected"
    template_version.save()
    template_version.refresh_from_db()
    assert template_version.definition["title"]["en"] == "Corrected"


def test_a_used_version_cannot_change(
    template_version: TemplateVersion, questionnaire: Questionnaire
) -> None:
    version = TemplateVersion.objects.get(pk=template_version.pk)
    assert version.in_use
    version.definition["title"]["en"] = "Changed afterwards"
    with pytest.raises(ImmutableVersion):
        version.save()
    with pytest.raises(ImmutableVersion):
        version.save(update_fields=["definition"])
    assert TemplateVersion.objects.get(pk=version.pk).definition == full_definition()


def test_a_change_after_use_becomes_a_new_version(
    process: Process,
    caseworker: User,
    template_version: TemplateVersion,
    questionnaire: Questionnaire,
) -> None:
    changed = full_definition()
    changed["title"]["en"] = "Intake, revised"
    newer = services.template_import(process=process, data=changed)
    assert (newer.pk != template_version.pk, newer.number) == (True, 2)
    assert TemplateVersion.objects.get(pk=template_version.pk).definition == full_definition()

    # the visit that used version 1 keeps it; a new visit gets version 2
    questionnaire.refresh_from_db()
    assert questionnaire.version == template_version
    later, _ = factories.make_visit(process=process, caseworker=caseworker)
    assert services.questionnaire_start(visit=later, by_user=caseworker).version == newer


def test_str(template_version: TemplateVersion, questionnaire: Questionnaire) -> None:
    template = template_version.template
    assert str(template) == "Intake (Aanvraag bijstand)"
    assert str(template_version) == "test-intake v1"
    assert str(questionnaire) == f"questionnaire of {questionnaire.visit_id}"
