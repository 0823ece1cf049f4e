"""Writes to the organisation's branding."""

from __future__ import annotations

from django.db import transaction

from videocontact.accounts.logo_image import CleanLogo
from videocontact.accounts.models import Organisation, OrganisationLogo


@transaction.atomic
def logo_replace(*, organisation: Organisation, logo: CleanLogo) -> None:
    """Store a logo that `logo_image.clean_logo` made; the old one is replaced."""
    OrganisationLogo.objects.update_or_create(
        organisation=organisation, defaults={"png": logo.data}
    )
    organisation.logo_sha256 = logo.sha256
    organisation.logo_width = logo.width
    organisation.logo_height = logo.height
    organisation.save(update_fields=["logo_sha256", "logo_width", "logo_height"])


@transaction.atomic
def logo_remove(*, organisation: Organisation) -> None:
    OrganisationLogo.objects.filter(organisation=organisation).delete()
    organisation.logo_sha256 = ""
    organisation.logo_width = organisation.logo_height = 0
    organisation.save(update_fields=["logo_sha256", "logo_width", "logo_height"])
