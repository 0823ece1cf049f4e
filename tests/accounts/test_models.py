from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from videocontact.accounts.models import DisplayNamePolicy, Organisation, Process

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("policy", "first", "last", "expected"),
    [
        (DisplayNamePolicy.FIRST_NAME, "Sanne", "de Vries", "Sanne"),
        (DisplayNamePolicy.FULL_NAME, "Sanne", "de Vries", "Sanne de Vries"),
        (DisplayNamePolicy.FULL_NAME, "Sanne", "", "Sanne"),
        (DisplayNamePolicy.ROLE_LABEL, "Sanne", "de Vries", "Medewerker"),
        (DisplayNamePolicy.FIRST_NAME, "", "de Vries", "Medewerker"),
        (DisplayNamePolicy.FULL_NAME, "", "de Vries", "Medewerker"),
    ],
)
def test_display_name_for_residents(policy: str, first: str, last: str, expected: str) -> None:
    organisation = factories.make_organisation(display_name_policy=policy)
    user = factories.make_user(first_name=first, last_name=last)
    assert user.display_name_for_residents(organisation, "Medewerker") == expected


def test_colours_must_be_hex(organisation: Organisation) -> None:
    organisation.primary_colour = "red;}body{display:none"
    with pytest.raises(ValidationError) as exc:
        organisation.full_clean()
    assert "primary_colour" in exc.value.message_dict


def test_str(process: Process) -> None:
    assert str(process) == "Sociale Zaken · Intake · Aanvraag bijstand"
    assert str(process.unit.organisation) == "Gemeente Voorbeeldstad"
