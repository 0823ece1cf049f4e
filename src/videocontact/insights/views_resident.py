"""The rating after the call: a plain HTML form, so it works when the room socket is gone."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from videocontact.insights import services
from videocontact.insights.errors import InsightsError
from videocontact.insights.forms import RatingForm
from videocontact.insights.models import Rating
from videocontact.visits.access import resident_access
from videocontact.visits.models import Participant


def _participant(request: HttpRequest, visit_id: uuid.UUID) -> Participant | None:
    """The participant this browser acts for: the resident access gate, past consent (and so
    past the SMS code); the visit may have ended, which is when most people rate it."""
    access = resident_access(request.session, visit_id, allow_ended=True)
    if not access.allowed or access.participant is None:
        return None
    request.organisation = access.participant.visit.organisation  # type: ignore[attr-defined]
    return access.participant


@require_http_methods(["GET", "POST"])
def rating(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    participant = _participant(request, visit_id)
    if participant is None:
        return render(request, "resident/link_problem.html", {"reason": "session"}, status=403)
    context = {"participant": participant, "organisation": participant.visit.organisation}
    if not services.participant_may_rate(participant):
        return render(request, "insights/rating_closed.html", context, status=403)
    done = Rating.objects.filter(participant=participant).exists()
    if done:
        status = 409 if request.method == "POST" else 200
        return render(request, "insights/rating_thanks.html", context, status=status)
    form = RatingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        # A field sent twice is not a browser's form: refuse rather than pick one value.
        repeated = any(len(request.POST.getlist(key)) > 1 for key in request.POST)
        if repeated or not form.is_valid():
            return render(request, "insights/rating.html", {**context, "form": form}, status=400)
        try:
            services.rating_submit(
                participant=participant,
                ease=form.cleaned_data["ease"],
                appreciation=form.cleaned_data["appreciation"],
                comment=form.cleaned_data["comment"],
                language=translation.get_language() or "nl",
            )
        except InsightsError:
            return render(request, "insights/rating_thanks.html", context, status=409)
        return redirect("insights:rating", visit_id=visit_id)
    return render(request, "insights/rating.html", {**context, "form": form})
