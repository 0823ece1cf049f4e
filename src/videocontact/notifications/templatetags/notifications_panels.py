"""The notifications panel on the caseworker's visit page (templates/staff/visit_detail.html):
contact details per invited participant, send the invitation, delivery status with "send
again", and moving or cancelling the visit."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from videocontact.notifications.forms import ContactForm, RescheduleForm
from videocontact.notifications.models import MessageState
from videocontact.notifications.selectors import (
    code_status,
    contact_for,
    messages_for_visit,
    messaging_settings_for,
)
from videocontact.notifications.views import PANEL_FORMS_KEY
from videocontact.visits.models import VisitStatus

register = template.Library()


def _form_with_errors(
    cls: Any, stored: dict[str, Any] | None, auto_id: str = "id_%s", **initial: Any
) -> Any:
    if stored is None:
        return cls(initial=initial, auto_id=auto_id)
    form = cls(stored["data"], auto_id=auto_id)
    form.is_valid()  # re-validate what was typed: the same errors, tied to their fields
    return form


@register.inclusion_tag("notifications/_visit_panel.html", takes_context=True)
def notifications_panel(context: dict[str, Any], visit: Any) -> dict[str, Any]:
    request = context.get("request")
    stored: dict[str, Any] = {}
    if request is not None:
        stored = request.session.pop(PANEL_FORMS_KEY, None) or {}
    people = []
    for participant in visit.participants.filter(
        user__isnull=True, removed_at__isnull=True
    ).order_by("created_at"):
        contact = contact_for(participant)
        initial = {
            "email": contact.email if contact else "",
            "mobile": contact.mobile if contact else "",
            "language": contact.language if contact else visit.resident_language,
        }
        people.append(
            {
                "participant": participant,
                "contact": contact,
                # Ids of their own: the page has a contact form per person.
                "form": _form_with_errors(
                    ContactForm,
                    stored.get(f"contact-{participant.id}"),
                    auto_id=f"contact-{participant.id}-%s",
                    **initial,
                ),
                "code": code_status(participant),
            }
        )
    scheduled = timezone.localtime(visit.scheduled_at) if visit.scheduled_at else None
    return {
        "visit": visit,
        "request": request,
        "people": people,
        "messages_sent": list(messages_for_visit(visit)[:50]),
        "failed": MessageState.FAILED,
        "move_form": _form_with_errors(
            RescheduleForm,
            stored.get("move"),
            scheduled_at=scheduled.strftime("%Y-%m-%dT%H:%M") if scheduled else "",
        ),
        "can_move": visit.status == VisitStatus.PLANNED,
        "settings": messaging_settings_for(visit.process),
    }
