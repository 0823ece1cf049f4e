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

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("visit")
    )
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="rating", verbose_name=_("participant")
    )
    role = models.CharField(max_length=12, verbose_name=_("role"))
    language = models.CharField(max_length=8, verbose_name=_("language"))
    ease = models.PositiveSmallIntegerField(
        choices=Score.choices, null=True, blank=True, verbose_name=_("ease")
    )
    appreciation = models.PositiveSmallIntegerField(
        choices=Score.choices, null=True, blank=True, verbose_name=_("appreciation")
    )
    comment = models.TextField(blank=True, max_length=1000, verbose_name=_("comment"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

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

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="tech_checks", verbose_name=_("visit")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("user")
    )
    answer = models.PositiveSmallIntegerField(choices=TechAnswer.choices, verbose_name=_("answer"))
    problem = models.CharField(
        max_length=16, choices=ProblemCategory.choices, blank=True, verbose_name=_("problem")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "user"], name="one_tech_check_per_staff")
        ]
        verbose_name = _("question about the technology")
        verbose_name_plural = _("questions about the technology")

    def __str__(self) -> str:
        return f"technology check of visit {self.visit_id}: {self.answer}"


class QualitySummary(models.Model):
    """Running aggregate of one participant's WebRTC statistics in one visit. The reports
    themselves are not stored: each one only adds to these sums, maxima and counters."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="quality", verbose_name=_("visit")
    )
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="quality", verbose_name=_("participant")
    )
    samples = models.PositiveIntegerField(default=0, verbose_name=_("samples"))
    rtt_samples = models.PositiveIntegerField(default=0, verbose_name=_("round-trip time samples"))
    rtt_sum_ms = models.FloatField(default=0, verbose_name=_("round-trip time sum (ms)"))
    rtt_max_ms = models.FloatField(default=0, verbose_name=_("highest round-trip time (ms)"))
    jitter_samples = models.PositiveIntegerField(default=0, verbose_name=_("jitter samples"))
    jitter_sum_ms = models.FloatField(default=0, verbose_name=_("jitter sum (ms)"))
    jitter_max_ms = models.FloatField(default=0, verbose_name=_("highest jitter (ms)"))
    loss_samples = models.PositiveIntegerField(default=0, verbose_name=_("packet loss samples"))
    loss_sum_pct = models.FloatField(default=0, verbose_name=_("packet loss sum (%)"))
    loss_max_pct = models.FloatField(default=0, verbose_name=_("highest packet loss (%)"))
    bitrate_samples = models.PositiveIntegerField(default=0, verbose_name=_("bitrate samples"))
    bitrate_sum_kbps = models.FloatField(default=0, verbose_name=_("bitrate sum (kbit/s)"))
    fps_samples = models.PositiveIntegerField(default=0, verbose_name=_("frame rate samples"))
    fps_sum = models.FloatField(default=0, verbose_name=_("frame rate sum"))
    fps_min = models.FloatField(null=True, blank=True, verbose_name=_("lowest frames per second"))
    max_width = models.PositiveIntegerField(default=0, verbose_name=_("largest width"))
    max_height = models.PositiveIntegerField(default=0, verbose_name=_("largest height"))
    relay_samples = models.PositiveIntegerField(
        default=0, verbose_name=_("samples through a relay")
    )
    ice_restarts = models.PositiveIntegerField(default=0, verbose_name=_("ICE restarts"))
    reconnects = models.PositiveIntegerField(default=0, verbose_name=_("reconnections"))
    first_at = models.DateTimeField(default=timezone.now, verbose_name=_("first measurement"))
    last_at = models.DateTimeField(default=timezone.now, verbose_name=_("last measurement"))

    class Meta:
        verbose_name = _("call quality summary")
        verbose_name_plural = _("call quality summaries")

    def __str__(self) -> str:
        return f"quality of participant {self.participant_id}: {self.samples} reports"


class LoginEvent(models.Model):
    """A staff sign-in (adoption: 'activated' is the first one, 'logged in' any in the period)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="login_events",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("time"))

    class Meta:
        ordering = ["at"]
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")

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

    process = models.OneToOneField(
        Process, on_delete=models.CASCADE, related_name="business_case", verbose_name=_("process")
    )
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
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("business case")
        verbose_name_plural = _("business cases")

    def __str__(self) -> str:
        return f"business case of {self.process}"
