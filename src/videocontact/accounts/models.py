"""Tenancy (organisation → unit → process) and staff users with roles per unit."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from videocontact.accounts.logo import logo_data_uri, validate_logo_svg

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1d4f91."))
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text: the brand colour carries button and header text


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


class DisplayNamePolicy(models.TextChoices):
    """How a caseworker is named towards residents (anonymity was a pilot concern)."""

    FIRST_NAME = "first_name", _("First name only")
    ROLE_LABEL = "role_label", _("Role label only, e.g. 'Medewerker Sociale Zaken'")
    FULL_NAME = "full_name", _("Full name")


class Organisation(models.Model):
    slug = models.SlugField(_("short name in web addresses"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    display_name_policy = models.CharField(
        _("how caseworkers are named to residents"),
        max_length=20,
        choices=DisplayNamePolicy.choices,
        default=DisplayNamePolicy.FIRST_NAME,
    )
    primary_colour = models.CharField(
        _("brand colour"), max_length=7, default="#1d4f91", validators=[hex_colour]
    )
    primary_text_colour = models.CharField(
        _("text colour on the brand colour"),
        max_length=7,
        default="#ffffff",
        validators=[hex_colour],
    )
    logo_svg = models.TextField(
        _("logo (SVG)"),
        blank=True,
        help_text=_(
            "Optional SVG logo markup: shapes and text only (no scripts, styles sheets, "
            "images or links to elsewhere); it is shown as an image."
        ),
        validators=[validate_logo_svg],
    )
    # The uploaded logo (accounts/logo_image.py re-encodes it as PNG). The pixels live in
    # OrganisationLogo, so pages that load the organisation do not load the image; these fields
    # are what a page needs to show it.
    logo_sha256 = models.CharField(
        max_length=64, blank=True, default="", editable=False, verbose_name=_("logo hash (SHA-256)")
    )
    logo_width = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("logo width")
    )
    logo_height = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("logo height")
    )
    logo_has_name = models.BooleanField(
        _("the logo shows the organisation's name"),
        default=False,
        help_text=_(
            "On: the logo replaces the name in the page header (screen readers read the name). "
            "Off: the name is shown beside the logo."
        ),
    )
    contact_phone = models.CharField(_("phone number for residents"), max_length=40, blank=True)
    accessibility_statement = models.TextField(
        _("accessibility statement"),
        blank=True,
        help_text=_("Shown to residents and staff through the link in the footer. Plain text."),
    )
    privacy_statement = models.TextField(
        _("privacy statement"),
        blank=True,
        help_text=_("Shown to residents and staff through the link in the footer. Plain text."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def logo_url(self) -> str:
        """The uploaded logo's address; the hash in it changes with the logo (cached for long)."""
        if not self.logo_sha256:
            return ""
        return reverse("organisation_logo", args=[self.slug, self.logo_sha256[:16]])

    @property
    def logo_src(self) -> str:
        """The old SVG logo as a data: URL for <img>, only if it passes the allowlist now: markup
        stored before the check existed, or written to the database directly, is never shown."""
        if not self.logo_svg:
            return ""
        try:
            validate_logo_svg(self.logo_svg)
        except ValidationError:
            return ""
        return logo_data_uri(self.logo_svg)

    def clean(self) -> None:
        try:
            ratio = contrast_ratio(self.primary_colour, self.primary_text_colour)
        except ValueError:
            return  # the field validators report the colour itself
        if ratio < MIN_CONTRAST:
            message = _(
                "The text colour on the brand colour has a contrast of %(ratio).1f:1; it must be "
                "at least 4.5:1 so everyone can read it."
            ) % {"ratio": ratio}
            raise ValidationError({"primary_text_colour": message})


class OrganisationLogo(models.Model):
    """The pixels of an organisation's logo: a PNG re-encoded from the upload."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="logo", verbose_name=_("organisation")
    )
    png = models.BinaryField(_("image (PNG)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    class Meta:
        verbose_name = _("logo")
        verbose_name_plural = _("logos")

    def __str__(self) -> str:
        return str(self.organisation)


class Unit(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("organisation")
    )
    department = models.CharField(_("department"), max_length=120)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        unique_together = [("organisation", "department", "name")]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return f"{self.department} · {self.name}"


class Process(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="processes", verbose_name=_("team")
    )
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=160)
    staff_label = models.CharField(
        _("caseworker label shown to residents"), max_length=80, default="Medewerker"
    )
    retention_days = models.PositiveIntegerField(_("retention of visit data (days)"), default=90)
    stores_photos = models.BooleanField(_("photos may be taken"), default=True)

    class Meta:
        unique_together = [("unit", "code")]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return f"{self.unit} · {self.name}"


class User(AbstractUser):
    """A staff member. Residents are not users: they are visit participants."""

    def display_name_for_residents(self, organisation: Organisation, label: str) -> str:
        policy = organisation.display_name_policy
        if policy == DisplayNamePolicy.ROLE_LABEL or not self.first_name:
            return label
        if policy == DisplayNamePolicy.FULL_NAME and self.last_name:
            return f"{self.first_name} {self.last_name}"
        return self.first_name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    TEAM_LEAD = "team_lead", _("Team lead")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functional administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        unique_together = [("user", "unit", "role")]
        verbose_name = _("role in a team")
        verbose_name_plural = _("roles in teams")

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
