"""Organisation branding within contrast limits; the accessibility and privacy statements the
organisation edits, linked from the footer of every page but the call."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests import factories
from videocontact.accounts.models import Organisation, contrast_ratio
from videocontact.accounts.statements import sample_accessibility_statement

pytestmark = pytest.mark.django_db


def test_contrast_ratio_and_the_limit(organisation: Organisation) -> None:
    assert round(contrast_ratio("#ffffff", "#000000")) == 21
    assert round(contrast_ratio("#1d4f91", "#ffffff"), 1) == 8.1  # as app.css notes
    organisation.primary_colour, organisation.primary_text_colour = "#ffdd00", "#ffffff"
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "primary_text_colour" in error.value.message_dict
    organisation.primary_text_colour = "#0b0c0c"
    organisation.full_clean()


def test_statements_are_public_and_linked_from_the_footer(client: Client, visit) -> None:
    organisation = visit.organisation
    assert client.get(f"/o/{organisation.slug}/toegankelijkheid").status_code == 404
    organisation.accessibility_statement = sample_accessibility_statement(organisation)
    organisation.save()
    page = client.get(f"/o/{organisation.slug}/toegankelijkheid")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Toegankelijkheidsverklaring" in html and organisation.name in html
    assert "{organisatie}" not in html
    assert client.get(f"/o/{organisation.slug}/privacy").status_code == 404
    assert client.get(f"/o/{organisation.slug}/iets-anders").status_code == 404
    # Staff pages carry the footer link and the municipality's name.
    staff = factories.make_user(unit=visit.process.unit)
    client.force_login(staff)
    html = client.get("/staff/").content.decode()
    assert f'href="/o/{organisation.slug}/toegankelijkheid"' in html
    assert organisation.name in html
