"""Organisation.logo_svg: checked against an allowlist on save, and never inlined in a page."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from videocontact.accounts.logo import validate_logo_svg
from videocontact.accounts.models import Organisation
from videocontact.visits.models import Visit

GOOD = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'viewBox="0 0 40 20"><title>Gemeente</title><defs><linearGradient id="g">'
    '<stop offset="0" stop-color="#1d4f91"/></linearGradient></defs>'
    '<rect width="40" height="20" fill="url(#g)"/><use xlink:href="#g"/>'
    '<text x="2" y="14" font-size="12" style="font-weight: bold">VS</text></svg>'
)

SVG = '<svg xmlns="http://www.w3.org/2000/svg">{}</svg>'
BAD = {
    "script": SVG.format("<script>alert(1)</script>"),
    "event handler": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "foreignObject": SVG.format("<foreignObject><p>x</p></foreignObject>"),
    "image": SVG.format('<image href="https://tracker.example/x.png"/>'),
    "external use": SVG.format('<use href="https://evil.example/s.svg#a"/>'),
    "javascript link": SVG.format('<use href="javascript:alert(1)"/>'),
    "external url in fill": SVG.format('<rect fill="url(https://evil.example/#a)"/>'),
    "style import": SVG.format('<rect style="@import url(x)"/>'),
    "style element": SVG.format("<style>rect{fill:red}</style>"),
    "entity expansion": '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    "no namespace": "<svg><rect/></svg>",
    "html": "<p>logo</p>",
    "broken": "<svg",
    "too large": SVG.format("<title>" + "x" * 100_001 + "</title>"),
}


def test_a_plain_logo_is_accepted() -> None:
    validate_logo_svg(GOOD)
    validate_logo_svg("")


@pytest.mark.parametrize("markup", list(BAD.values()), ids=list(BAD))
def test_unsafe_logos_are_refused(markup: str) -> None:
    with pytest.raises(ValidationError):
        validate_logo_svg(markup)


@pytest.mark.django_db
def test_the_admin_form_check_runs_on_save(organisation: Organisation) -> None:
    organisation.logo_svg = BAD["script"]
    with pytest.raises(ValidationError):
        organisation.full_clean()


@pytest.mark.django_db
def test_a_stored_logo_is_shown_as_an_image_not_as_markup(
    organisation: Organisation, visit: Visit, token: str
) -> None:
    """Found when pen-tested: the markup was rendered unescaped on the resident pages."""
    evil = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert("x")</script></svg>'
    Organisation.objects.filter(pk=organisation.pk).update(logo_svg=evil)  # stored before
    client = Client()
    client.get(f"/j/{token}")
    html = client.get(f"/v/{visit.id}/consent").content.decode()
    assert "<script>alert" not in html
    # Markup that fails the allowlist is not shown at all, not even as an image.
    data_uri = "data:image/svg+xml;base64," + base64.b64encode(evil.encode()).decode()
    assert data_uri not in html
    assert "site-header__logo" not in html


@pytest.mark.django_db
def test_a_stored_logo_that_passes_is_shown_as_an_image(
    organisation: Organisation, visit: Visit, token: str
) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(logo_svg=GOOD)
    client = Client()
    client.get(f"/j/{token}")
    html = client.get(f"/v/{visit.id}/consent").content.decode()
    data_uri = "data:image/svg+xml;base64," + base64.b64encode(GOOD.encode()).decode()
    assert f'<img class="site-header__logo" src="{data_uri}" alt="">' in html
