"""The visit (appointment), its participants and their invitation links."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocontact.accounts.models import Process


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("In progress")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    process = models.ForeignKey(
        Process, on_delete=models.PROTECT, related_name="visits", verbose_name=_("process")
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("caseworker"),
    )
    resident_name = models.CharField(_("resident's name"), max_length=160)
    resident_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    case_reference = models.CharField(_("case reference"), max_length=80, blank=True)
    scheduled_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=VisitStatus.choices, default="planned", verbose_name=_("status")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.process.name} · {self.resident_name}"

    @property
    def is_open(self) -> bool:
        return self.status in (VisitStatus.PLANNED, VisitStatus.ACTIVE)

    @property
    def organisation(self):  # type: ignore[no-untyped-def]
        return self.process.unit.organisation


class ParticipantRole(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    RESIDENT = "resident", _("Resident")
    INTERPRETER = "interpreter", _("Interpreter")
    FAMILY = "family", _("Family member or helper")
    COLLEAGUE = "colleague", _("Second caseworker")


STAFF_ROLES = frozenset({ParticipantRole.CASEWORKER, ParticipantRole.COLLEAGUE})
# Guests the caseworker adds to a visit: the first two get their own link, a colleague joins
# from their own dashboard.
GUEST_ROLES = frozenset(
    {ParticipantRole.INTERPRETER, ParticipantRole.FAMILY, ParticipantRole.COLLEAGUE}
)


class ParticipantState(models.TextChoices):
    INVITED = "invited", _("Invited")
    DECLINED = "declined", _("Declined")
    CONSENTED = "consented", _("Gave consent")
    WAITING = "waiting", _("In the waiting room")
    ADMITTED = "admitted", _("In the call")
    DENIED = "denied", _("Not admitted")
    LEFT = "left", _("Left")


class Participant(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="participants", verbose_name=_("visit")
    )
    role = models.CharField(max_length=12, choices=ParticipantRole.choices, verbose_name=_("role"))
    display_name = models.CharField(max_length=160, verbose_name=_("name shown"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("user"),
    )
    state = models.CharField(
        max_length=10,
        choices=ParticipantState.choices,
        default=ParticipantState.INVITED,
        verbose_name=_("state"),
    )
    consented_at = models.DateTimeField(null=True, blank=True, verbose_name=_("consent given at"))
    waiting_since = models.DateTimeField(null=True, blank=True, verbose_name=_("waiting since"))
    admitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("admitted at"))
    last_seen_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last seen at"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    # The language a guest speaks (an interpreter: the one they interpret to and from).
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True, default="", verbose_name=_("language")
    )
    # The language of a guest's screens, chosen separately: an interpreter for Arabic may want
    # Dutch pages. Empty (guests added before the choice existed): the spoken language.
    interface_language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        verbose_name=_("language of the screens"),
    )
    # Set when the caseworker removes a guest: their links are revoked and they cannot rejoin.
    removed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("removed at"))
    # The browser the resident's link is bound to (SHA-256 of a random id in its session): the
    # first that got past the link (and the SMS code). Another browser waits as a "new device".
    device_hash = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("device hash")
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "user"],
                condition=models.Q(user__isnull=False),
                name="one_participant_per_staff_user",
            )
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.display_name}"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_guest(self) -> bool:
        return self.role in GUEST_ROLES

    @property
    def ui_language(self) -> str:
        return self.interface_language or self.language or self.visit.resident_language


class Invitation(models.Model):
    """A join link. Only the SHA-256 of the random token is stored."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("participant"),
    )
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("link hash"))
    valid_from = models.DateTimeField(verbose_name=_("valid from"))
    valid_until = models.DateTimeField(verbose_name=_("valid until"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    first_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("first used at"))
    use_count = models.PositiveIntegerField(default=0, verbose_name=_("times used"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"invitation {self.pk} for {self.participant_id}"
