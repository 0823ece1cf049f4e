"""Request and answer shapes of the API (the OpenAPI schema is generated from these)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from videocontact.api.selectors import STATES
from videocontact.notifications.phone import normalise_mobile
from videocontact.visits.models import ParticipantRole, ParticipantState, Visit, VisitStatus

LANGUAGES = [code for code, _ in settings.LANGUAGES]
GUEST_ROLES = [ParticipantRole.INTERPRETER.value, ParticipantRole.FAMILY.value]
MAX_AHEAD = timedelta(days=2 * 366)
# Named choice sets (ENUM_NAME_OVERRIDES in settings gives each its own schema name).
PARTICIPANT_STATES = [s.value for s in ParticipantState]
VISIT_STATUSES = [s.value for s in VisitStatus]
REPORT_STATES = ["building", "ready", "failed"]
EXPORT_STATES = ["waiting", "retrying", "sent", "failed"]


class DateTimeField(serializers.DateTimeField):
    """DRF's, but a naive moment near year 1 or 9999 (it overflows while DRF checks it against
    the time zone) is a validation error, not a 500."""

    def to_internal_value(self, value: Any) -> Any:
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("overflow")


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable, e.g. `invalid`, `not_found`.")
    detail = serializers.CharField()
    errors = serializers.DictField(
        required=False,
        child=serializers.JSONField(),
        help_text="Per field: the messages (validation errors only).",
    )


class ContactMixin(serializers.Serializer):
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    mobile = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text="E.164 or Dutch notation."
    )

    def validate_email(self, value: str) -> str:
        return value.strip().lower()

    def validate_mobile(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return normalise_mobile(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class ResidentInSerializer(ContactMixin):
    name = serializers.CharField(max_length=160)
    language = serializers.ChoiceField(choices=LANGUAGES, default="nl")

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("A name is needed.")
        return value


class GuestInSerializer(ContactMixin):
    role = serializers.ChoiceField(choices=GUEST_ROLES)
    name = serializers.CharField(max_length=160)
    language = serializers.ChoiceField(choices=LANGUAGES, required=False, allow_blank=True)
    send_invitations = serializers.BooleanField(
        default=True, help_text="Send the link by e-mail/SMS at once when an address is given."
    )

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("A name is needed.")
        return value


def _check_time(value: Any) -> Any:
    now = timezone.now()
    if value is not None and not (now - timedelta(days=1) <= value <= now + MAX_AHEAD):
        raise serializers.ValidationError("Plan between yesterday and two years from now.")
    return value


class VisitCreateSerializer(serializers.Serializer):
    process = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="Id from GET /api/v1/processes."
    )
    caseworker = serializers.CharField(
        max_length=150, help_text="Username of the caseworker (or team lead) who runs the call."
    )
    scheduled_at = DateTimeField(
        required=False, allow_null=True, help_text="Empty: the link works from now on."
    )
    case_reference = serializers.CharField(required=False, allow_blank=True, max_length=80)
    resident = ResidentInSerializer()
    guests = GuestInSerializer(many=True, required=False, max_length=4)
    send_invitations = serializers.BooleanField(
        default=True, help_text="Send the links by e-mail/SMS at once when addresses are given."
    )

    def validate_scheduled_at(self, value: Any) -> Any:
        return _check_time(value)


class ResidentContactSerializer(ContactMixin):
    pass


class VisitUpdateSerializer(serializers.Serializer):
    scheduled_at = DateTimeField(required=False)
    resident = ResidentContactSerializer(
        required=False, help_text="Replaces the resident's e-mail and mobile number."
    )
    send_invitations = serializers.BooleanField(
        default=False, help_text="Send a fresh invitation to the new contact details."
    )

    def validate_scheduled_at(self, value: Any) -> Any:
        return _check_time(value)


class ParticipantSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    role = serializers.ChoiceField(choices=[r.value for r in ParticipantRole])
    state = serializers.ChoiceField(choices=PARTICIPANT_STATES)
    language = serializers.CharField(source="ui_language")
    removed = serializers.SerializerMethodField()

    def get_removed(self, participant: Any) -> bool:
        return participant.removed_at is not None


class LinkSerializer(serializers.Serializer):
    participant = serializers.UUIDField(source="participant.id")
    role = serializers.CharField(source="participant.role")
    url = serializers.URLField(help_text="The join link; shown in this answer only.")
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()


class ProcessSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")


# Plain fields, no model verbose names: the schema is the same in every language.
class VisitSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    state = serializers.ChoiceField(choices=STATES, source="api_state")
    status = serializers.ChoiceField(choices=VISIT_STATUSES)
    process = serializers.IntegerField(source="process_id")
    unit = serializers.IntegerField(source="process.unit_id")
    caseworker = serializers.CharField(source="caseworker.username")
    case_reference = serializers.CharField()
    resident_language = serializers.ChoiceField(choices=LANGUAGES)
    scheduled_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    participants = serializers.SerializerMethodField()

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, visit: Visit) -> Any:
        return ParticipantSerializer(visit.participants.all(), many=True).data


class PlannedSerializer(serializers.Serializer):
    visit = VisitSerializer()
    links = LinkSerializer(many=True)


class VisitPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = VisitSerializer(many=True)


# Results ---------------------------------------------------------------------------------------


class SignatureSerializer(serializers.Serializer):
    sha256 = serializers.CharField(help_text="SHA-256 of the canonical JSON that was signed.")
    signed_at = serializers.DateTimeField()
    canonical = serializers.CharField(help_text="The signed canonical JSON (hash it to check).")


class AnswersSerializer(serializers.Serializer):
    template = serializers.CharField()
    version = serializers.IntegerField()
    language = serializers.CharField()
    answers = serializers.DictField(child=serializers.JSONField(allow_null=True))
    signature = SignatureSerializer(allow_null=True)


class PhotoSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    content_type = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    caption = serializers.CharField()
    captured_at = serializers.DateTimeField()


class ReportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.IntegerField()
    state = serializers.ChoiceField(choices=REPORT_STATES)
    sealed = serializers.BooleanField()
    sha256 = serializers.CharField(help_text="SHA-256 of the sealed PDF (empty until ready).")
    size = serializers.IntegerField()
    signature_sha256 = serializers.CharField(
        help_text="The questionnaire signature the report shows."
    )
    created_at = serializers.DateTimeField()
    ready_at = serializers.DateTimeField(allow_null=True)
    error_code = serializers.CharField()


class ExportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    report = serializers.UUIDField(source="report_id")
    target = serializers.CharField(source="target.name")
    kind = serializers.CharField(source="target.kind")
    state = serializers.ChoiceField(choices=EXPORT_STATES)
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class VisitCountSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    state = serializers.ChoiceField(choices=STATES)
    count = serializers.IntegerField()


def _sane_day(value: date) -> date:
    if not date(2000, 1, 1) <= value <= date(2100, 12, 31):
        raise serializers.ValidationError("Choose a day between 2000 and 2100.")
    return value


class RatingPeriodSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First day (default: 27 days ago).")
    date_to = serializers.DateField(
        required=False, help_text="Last day, included (default: today)."
    )

    def validate_date_from(self, value: date) -> date:
        return _sane_day(value)

    def validate_date_to(self, value: date) -> date:
        return _sane_day(value)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and not (0 <= (last - first).days <= 366):
            raise serializers.ValidationError("date_to must follow date_from, within a year.")
        return data


class RatingRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(allow_null=True, help_text="Empty in the total.")
    unit_name = serializers.CharField()
    count = serializers.IntegerField()
    ease = serializers.DictField(
        child=serializers.IntegerField(), help_text="How many answered 1, 2, 3 (3 = good)."
    )
    appreciation = serializers.DictField(child=serializers.IntegerField())
    ease_good_percent = serializers.IntegerField(allow_null=True)
    appreciation_good_percent = serializers.IntegerField(allow_null=True)


class RatingStatisticsSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    units = RatingRowSerializer(many=True)
    total = RatingRowSerializer()
