"""Tenancy (organisation → unit → process) and staff users with roles per unit."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from videocontact.accounts.logo import logo_data_uri, validate_logo_svg

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1d4f91."))


class DisplayNamePolicy(models.TextChoices):
    """How a caseworker is named towards residents (anonymity was a pilot concern)."""

    FIRST_NAME = "first_name", _("First name only")
    ROLE_LABEL = "role_label", _("Role label only, e.g. 'Medewerker Sociale Zaken'")
    FULL_NAME = "full_name", _("Full name")


class Organisation(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    display_name_policy = models.CharField(
        max_length=20, choices=DisplayNamePolicy.choices, default=DisplayNamePolicy.FIRST_NAME
    )
    primary_colour = models.CharField(max_length=7, default="#1d4f91", validators=[hex_colour])
    primary_text_colour = models.CharField(max_length=7, default="#ffffff", validators=[hex_colour])
    logo_svg = models.TextField(
        blank=True,
        help_text=_(
            "Optional SVG logo markup: shapes and text only (no scripts, styles sheets, "
            "images or links to elsewhere); it is shown as an image."
        ),
        validators=[validate_logo_svg],
    )
    contact_phone = models.CharField(_("phone number for residents"), max_length=40, blank=True)

    def __str__(self) -> str:
        return self.name

    @property
    def logo_src(self) -> str:
        return logo_data_uri(self.logo_svg) if self.logo_svg else ""


class Unit(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    department = models.CharField(_("department"), max_length=120)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        unique_together = [("organisation", "department", "name")]

    def __str__(self) -> str:
        return f"{self.department} · {self.name}"


class Process(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="processes")
    code = models.SlugField()
    name = models.CharField(_("name"), max_length=160)
    staff_label = models.CharField(
        _("caseworker label shown to residents"), max_length=80, default="Medewerker"
    )
    retention_days = models.PositiveIntegerField(_("retention of visit data (days)"), default=90)
    stores_photos = models.BooleanField(default=True)

    class Meta:
        unique_together = [("unit", "code")]

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
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        unique_together = [("user", "unit", "role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
