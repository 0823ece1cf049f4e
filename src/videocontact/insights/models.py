"""What the insights dashboards count that no other app records: ratings, the caseworker's
quick question, call-quality summaries, sign-ins, and the business-case assumptions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocontact.accounts.models import Process
from videocontact.visits.models import Participant, Visit


class Score(models.IntegerChoices):
    """The 3-point scale of the pilot's questions (faces and words on the form)."""

    BAD = 1, _("Not good")
    OKAY = 2, _("Okay")
    GOOD = 3, _("Good")


class Rating(models.Model):
    """One per participant per visit; anonymous towards staff (no name on the dashboard)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="ratings")
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="rating")
    role = models.CharField(max_length=12)
    language = models.CharField(max_length=8)
    ease = models.PositiveSmallIntegerField(choices=Score.choices, null=True, blank=True)
    appreciation = models.PositiveSmallIntegerField(choices=Score.choices, null=True, blank=True)
    comment = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"rating {self.pk} of visit {self.visit_id}"


class TechAnswer(models.IntegerChoices):
    NO = 1, _("No, it did not work")
    PARTLY = 2, _("Partly")
    YES = 3, _("Yes, it worked")


class ProblemCategory(models.TextChoices):
    NONE = "", _("No problem")
    NO_PICTURE = "no_picture", _("No picture")
    NO_SOUND = "no_sound", _("No sound")
    NO_CONNECTION = "no_connection", _("Could not connect")
    DROPPED = "dropped", _("The call dropped")
    OTHER = "other", _("Something else")


class TechCheck(models.Model):
    """The caseworker's quick question after the call: did the technology work?"""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="tech_checks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    answer = models.PositiveSmallIntegerField(choices=TechAnswer.choices)
    problem = models.CharField(max_length=16, choices=ProblemCategory.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "user"], name="one_tech_check_per_staff")
        ]

    def __str__(self) -> str:
        return f"technology check of visit {self.visit_id}: {self.answer}"


class QualitySummary(models.Model):
    """Running aggregate of one participant's WebRTC statistics in one visit. The reports
    themselves are not stored: each one only adds to these sums, maxima and counters."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="quality")
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="quality"
    )
    samples = models.PositiveIntegerField(default=0)
    rtt_samples = models.PositiveIntegerField(default=0)
    rtt_sum_ms = models.FloatField(default=0)
    rtt_max_ms = models.FloatField(default=0)
    jitter_samples = models.PositiveIntegerField(default=0)
    jitter_sum_ms = models.FloatField(default=0)
    jitter_max_ms = models.FloatField(default=0)
    loss_samples = models.PositiveIntegerField(default=0)
    loss_sum_pct = models.FloatField(default=0)
    loss_max_pct = models.FloatField(default=0)
    bitrate_samples = models.PositiveIntegerField(default=0)
    bitrate_sum_kbps = models.FloatField(default=0)
    fps_samples = models.PositiveIntegerField(default=0)
    fps_sum = models.FloatField(default=0)
    fps_min = models.FloatField(null=True, blank=True)
    max_width = models.PositiveIntegerField(default=0)
    max_height = models.PositiveIntegerField(default=0)
    relay_samples = models.PositiveIntegerField(default=0)
    ice_restarts = models.PositiveIntegerField(default=0)
    reconnects = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"quality of participant {self.participant_id}: {self.samples} reports"


class LoginEvent(models.Model):
    """A staff sign-in (adoption: 'activated' is the first one, 'logged in' any in the period)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_events"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"sign-in of user {self.user_id} at {self.at:%Y-%m-%d %H:%M}"


def _money(label: Any, default: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=8,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100000"))],
    )


class BusinessCase(models.Model):
    """Assumptions about the physical home visit that a video visit replaces, per process.
    Defaults follow the pilot report: two officials by car, about an hour each."""

    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="business_case")
    travel_minutes = models.PositiveIntegerField(
        _("travel time per visit (minutes, there and back)"),
        default=40,
        validators=[MaxValueValidator(1440)],
    )
    visit_minutes = models.PositiveIntegerField(
        _("duration of a home visit (minutes)"), default=45, validators=[MaxValueValidator(1440)]
    )
    staff_count = models.PositiveSmallIntegerField(
        _("staff on a home visit"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    km_per_visit = models.DecimalField(
        _("kilometres per visit (there and back)"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("5000"))],
    )
    cost_per_km = models.DecimalField(
        _("cost per kilometre (euro)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0.23"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    cost_per_staff_hour = _money(_("cost per staff hour (euro)"), "65.00")
    co2_grams_per_km = models.PositiveIntegerField(
        _("CO₂ per kilometre (grams)"), default=150, validators=[MaxValueValidator(5000)]
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    def __str__(self) -> str:
        return f"business case of {self.process}"
