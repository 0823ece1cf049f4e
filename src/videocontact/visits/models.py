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
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="visits")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits"
    )
    resident_name = models.CharField(_("resident's name"), max_length=160)
    resident_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    case_reference = models.CharField(_("case reference"), max_length=80, blank=True)
    scheduled_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=VisitStatus.choices, default="planned")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

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
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(max_length=12, choices=ParticipantRole.choices)
    display_name = models.CharField(max_length=160)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    state = models.CharField(
        max_length=10, choices=ParticipantState.choices, default=ParticipantState.INVITED
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    admitted_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The language a guest speaks (an interpreter: the one they interpret to and from).
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True, default="")
    # The language of a guest's screens, chosen separately: an interpreter for Arabic may want
    # Dutch pages. Empty (guests added before the choice existed): the spoken language.
    interface_language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    # Set when the caseworker removes a guest: their links are revoked and they cannot rejoin.
    removed_at = models.DateTimeField(null=True, blank=True)
    # The browser the resident's link is bound to (SHA-256 of a random id in its session): the
    # first that got past the link (and the SMS code). Another browser waits as a "new device".
    device_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "user"],
                condition=models.Q(user__isnull=False),
                name="one_participant_per_staff_user",
            )
        ]

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
        Participant, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    first_used_at = models.DateTimeField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk} for {self.participant_id}"
