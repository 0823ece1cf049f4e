"""The location check's part of the call page: a json_script of its own (js/checks.js)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from videocontact.checks.services import keeps_coordinates, location_check_enabled
from videocontact.core.middleware import PERMISSIONS_POLICY
from videocontact.visits.models import Participant, ParticipantRole, Visit


def resident_strings() -> dict[str, str]:
    return {
        "locTitle": _("Your location"),
        "locAsk": _(
            "The caseworker wants to check if you are at your address. "
            "May your phone share your location once for this?"
        ),
        "locKeepNo": _("We only keep the distance to your address. We do not keep your location."),
        "locKeepYes": _("We keep your location and the distance to your address."),
        "locVoluntary": _("You may say no. That is fine."),
        "locYes": _("Yes, share my location"),
        "locNo": _("No"),
        "locSharing": _("Your phone is looking for your location…"),
        "locShared": _("Your location was shared once."),
        "locDeclined": _("You said no. Your location was not shared."),
        "locUnavailable": _("Your phone could not find your location."),
    }


def staff_strings() -> dict[str, str]:
    return {
        "locTitle": _("Location check"),
        "locAddress": _("Registered address (BRP)"),
        "locAskButton": _("Ask for the location"),
        "locNote": _("The resident is asked first. Only the distance is stored."),
        "locNoteKeep": _("The resident is asked first. The location and the distance are stored."),
        "locAsked": _("Waiting for the resident's answer…"),
        "locResult": _("Distance to the address: {distance} m (accurate to {accuracy} m)."),
        "locFound": _("Address found: {address}"),
        "locOutcome.at_address": _("Probably at the address."),
        "locOutcome.elsewhere": _("Probably not at the address."),
        "locOutcome.uncertain": _("The location is too inaccurate to tell."),
        "locState.declined": _("The resident did not want to share the location."),
        "locState.unavailable": _("The resident's phone could not find the location."),
        "locState.failed": _("The address could not be looked up. Check the address."),
        "locRefused.module_off": _("The location check is off for this organisation."),
        "locRefused.not_in_call": _("The resident is not in the call."),
        "locRefused.invalid_address": _("Fill in the registered address."),
        "locRefused.visit_closed": _("The visit is closed."),
        "locRefused.other": _("The location could not be asked: {message}"),
    }


def location_config(visit: Visit, *, is_staff: bool) -> dict[str, Any]:
    """Empty when the module is off: the page then has no location check at all."""
    if not location_check_enabled(visit):
        return {}
    keep = keeps_coordinates(visit)
    return {
        "isStaff": is_staff,
        "keep": keep,
        "strings": staff_strings() if is_staff else resident_strings(),
    }


def allow_geolocation(
    response: HttpResponse, visit: Visit, participant: Participant
) -> HttpResponse:
    """The resident's call page may use navigator.geolocation only while the location check is on
    (every other page keeps `geolocation=()`); the browser still asks, and so does the page."""
    if participant.role == ParticipantRole.RESIDENT and location_check_enabled(visit):
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY.replace(
            "geolocation=()", "geolocation=(self)"
        )
    return response
