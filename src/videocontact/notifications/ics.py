"""The visit as an iCalendar (RFC 5545) event for e-mail invitations (iTIP, RFC 5546).

One UID per visit, SEQUENCE up on every change, METHOD:REQUEST for a planned or moved visit and
METHOD:CANCEL when it is cancelled. The icalendar package does the folding and escaping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from videocontact.visits.models import Visit


def visit_uid(visit: Visit) -> str:
    return f"visit-{visit.id}@{settings.NOTIFY_ICS_DOMAIN}"


def build_ics(
    *,
    visit: Visit,
    sequence: int,
    cancel: bool,
    summary: str,
    description: str,
    attendee_email: str,
    now: datetime | None = None,
) -> bytes:
    assert visit.scheduled_at is not None
    start = visit.scheduled_at
    calendar = Calendar()
    calendar.add("prodid", "-//Open Videocontact//notifications//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", visit_uid(visit))
    event.add("sequence", sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add(
        "dtend", (start + timedelta(minutes=settings.NOTIFY_ICS_DURATION_MINUTES)).astimezone(UTC)
    )
    event.add("summary", summary)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(visit.organisation.name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()
