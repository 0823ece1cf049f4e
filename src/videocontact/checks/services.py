"""The location check (a DPIA-gated module): the caseworker asks, the resident's page asks the
resident in their own language, and — only with their consent — sends the browser's position
once. Stored: the distance to the registered address, the accuracy and the outcome, with an
audit event; the coordinates only where the process allows it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocontact.checks import distance
from videocontact.checks.geocoder import GeocodeError, GeoPoint, get_geocoder
from videocontact.checks.models import CheckState, LocationCheck, LocationSettings
from videocontact.core.errors import ServiceError
from videocontact.privacy.audit import audit
from videocontact.privacy.models import GatedModule
from videocontact.privacy.modules import module_enabled
from videocontact.rooms import events
from videocontact.rooms.models import RoomConnection
from videocontact.visits.models import Participant, ParticipantRole, ParticipantState, Visit

MODULE = GatedModule.LOCATION_CHECK.value
ADDRESS_MAX = 200


class CheckError(ServiceError):
    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def location_check_enabled(visit: Visit) -> bool:
    return module_enabled(visit.process.unit.organisation_id, MODULE)


def keeps_coordinates(visit: Visit) -> bool:
    found = LocationSettings.objects.filter(process_id=visit.process_id).first()
    return bool(found and found.keep_coordinates)


@transaction.atomic
def location_ask(*, visit_id: uuid.UUID, by_user: Any, address: str) -> LocationCheck:
    """The caseworker asks for the resident's location. The resident's page gets `location-ask`
    (after commit); the staff of the call get `location-state`."""
    visit = (
        Visit.objects.select_for_update()
        .select_related("process__unit")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None or not visit.is_open:
        raise CheckError("visit_closed", "the visit is not open", status=409)
    if not location_check_enabled(visit):
        raise CheckError("module_off", "the location check is off (no approved DPIA)", status=403)
    address = " ".join(address.split())
    if not address or len(address) > ADDRESS_MAX or any(ord(c) < 32 for c in address):
        raise CheckError("invalid_address", "give the registered address (at most 200 characters)")
    resident = (
        Participant.objects.filter(
            visit=visit, role=ParticipantRole.RESIDENT, state=ParticipantState.ADMITTED
        )
        .order_by("created_at")
        .first()
    )
    if resident is None or not RoomConnection.objects.filter(participant=resident).exists():
        raise CheckError("not_in_call", "the resident is not in the call", status=409)
    check = LocationCheck.objects.create(
        visit=visit, participant=resident, requested_by=by_user, address=address
    )
    audit(
        action="location_check.requested",
        obj=check,
        actor_user=by_user,
        visit_id=visit.id,
        target_participant=str(resident.id),
    )
    events.publish_on_commit(
        events.participant_group(resident.id),
        events.frame_event(
            {"type": "location-ask", "check": str(check.id), "keep": keeps_coordinates(visit)}
        ),
    )
    _publish_state(check)
    return check


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    accuracy: float


def location_answer(
    *,
    participant: Participant,
    check_id: uuid.UUID,
    consent: bool,
    position: Position | None = None,
    error: str = "",
) -> LocationCheck:
    """The resident's page answers: declined, the browser could not locate, or a position.
    The address is geocoded outside the transaction (a slow geocoder holds no lock)."""
    check = _open_check(participant, check_id)
    point: GeoPoint | None = None
    failure = ""
    if consent and position is not None and not location_check_enabled(check.visit):
        failure = "module_off"  # switched off since the question: nothing is computed
    elif consent and position is not None:
        try:
            point = get_geocoder().geocode(check.address)
        except GeocodeError as exc:
            failure = f"geocode_{exc.code}"
    return _record(check.id, participant, consent, position, error, point, failure)


def _open_check(participant: Participant, check_id: uuid.UUID) -> LocationCheck:
    check = (
        LocationCheck.objects.select_related("visit__process__unit")
        .filter(pk=check_id, participant=participant)
        .first()
    )
    if check is None:
        raise CheckError("unknown_check", "no such location check for you", status=404)
    if check.state != CheckState.ASKED:
        raise CheckError("check_answered", "this location check was answered", status=409)
    ttl = timedelta(seconds=settings.CHECKS_LOCATION_TTL_SECONDS)
    if timezone.now() - check.requested_at > ttl:
        raise CheckError("check_expired", "this location check has expired", status=410)
    return check


@transaction.atomic
def _record(
    check_id: uuid.UUID,
    participant: Participant,
    consent: bool,
    position: Position | None,
    error: str,
    point: GeoPoint | None,
    failure: str,
) -> LocationCheck:
    check = LocationCheck.objects.select_for_update().select_related("visit").get(pk=check_id)
    if check.state != CheckState.ASKED:
        raise CheckError("check_answered", "this location check was answered", status=409)
    check.answered_at = timezone.now()
    data: dict[str, Any] = {}
    if not consent:
        check.state = CheckState.DECLINED
    elif position is None:
        check.state = CheckState.UNAVAILABLE
        check.reason = (error or "unavailable")[:40]
    elif point is None:
        check.state = CheckState.FAILED
        check.reason = failure
    else:
        meters = distance.distance_m(
            position.latitude, position.longitude, point.latitude, point.longitude
        )
        check.state = CheckState.DONE
        check.distance_m = round(meters)
        check.accuracy_m = round(position.accuracy)
        check.address_label = point.label
        check.outcome = distance.outcome(
            meters,
            position.accuracy,
            radius=settings.CHECKS_LOCATION_RADIUS_M,
            max_accuracy=settings.CHECKS_LOCATION_MAX_ACCURACY_M,
        )
        kept = keeps_coordinates(check.visit)
        if kept:
            check.latitude, check.longitude = position.latitude, position.longitude
        data = {
            "distance_m": check.distance_m,
            "accuracy_m": check.accuracy_m,
            "outcome": check.outcome,
            "coordinates_kept": kept,
        }
    check.save()
    audit(
        action=f"location_check.{check.state}",
        obj=check,
        actor_participant_id=participant.id,
        visit_id=check.visit_id,
        consent=consent,
        reason=check.reason,
        **data,
    )
    _publish_state(check)
    return check


def state_frame(check: LocationCheck) -> dict[str, Any]:
    """What the staff of the call see of a check (never the coordinates)."""
    return {
        "type": "location-state",
        "check": str(check.id),
        "state": check.state,
        "reason": check.reason or None,
        "distanceM": check.distance_m,
        "accuracyM": check.accuracy_m,
        "outcome": check.outcome or None,
        "address": check.address_label or check.address,
    }


def _publish_state(check: LocationCheck) -> None:
    events.publish_on_commit(
        events.staff_group(check.visit_id), events.frame_event(state_frame(check))
    )
