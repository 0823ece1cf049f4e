"""What every staff view of a visit starts with: the signed-in user and the visit they may see.

One place for the object-level permission check, so no app's view can forget it."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from videocontact.accounts.models import User
from videocontact.visits.models import Visit
from videocontact.visits.selectors import visit_for_staff


def staff_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def staff_visit_or_404(request: HttpRequest, visit_id: uuid.UUID) -> Visit:
    """The visit, if this staff member may see it (a unit of theirs); else 404, never 403, so
    an outsider cannot even learn that the visit exists."""
    visit = visit_for_staff(staff_user(request), visit_id)
    if visit is None:
        raise Http404("no such visit")
    request.organisation = visit.organisation  # type: ignore[attr-defined]  # branding
    return visit
