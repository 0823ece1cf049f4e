"""Read side of the API: which visits a client sees, and each visit's state."""

from __future__ import annotations

import uuid

from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Subquery, Value, When

from videocontact.accounts.models import Process
from videocontact.api.models import ApiClient
from videocontact.dossier.models import Export, ExportState
from videocontact.visits.models import (
    Participant,
    ParticipantRole,
    ParticipantState,
    Visit,
    VisitStatus,
)

# The state a case-management system sees (derived; see docs/api.md for the rules).
STATES = ["planned", "waiting", "in_call", "declined", "ended", "no_show", "filed", "cancelled"]


def _residents() -> QuerySet[Participant]:
    return Participant.objects.filter(visit=OuterRef("pk"), role=ParticipantRole.RESIDENT)


def with_state(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    """Annotate `api_state`, so lists can be filtered by it in the database."""
    return visits.annotate(
        _resident_state=Subquery(_residents().values("state")[:1]),
        _resident_came=Exists(_residents().filter(admitted_at__isnull=False)),
        _filed=Exists(Export.objects.filter(visit=OuterRef("pk"), state=ExportState.SENT)),
        api_state=Case(
            When(status=VisitStatus.CANCELLED, then=Value("cancelled")),
            When(status=VisitStatus.ENDED, _filed=True, then=Value("filed")),
            When(status=VisitStatus.ENDED, _resident_came=False, then=Value("no_show")),
            When(status=VisitStatus.ENDED, then=Value("ended")),
            When(_resident_state=ParticipantState.DECLINED, then=Value("declined")),
            When(_resident_state=ParticipantState.WAITING, then=Value("waiting")),
            When(status=VisitStatus.ACTIVE, then=Value("in_call")),
            default=Value("planned"),
            output_field=CharField(),
        ),
    )


def visits_for_client(client: ApiClient) -> QuerySet[Visit]:
    return with_state(
        Visit.objects.filter(
            process__unit__in=client.units.all(),
            process__unit__organisation_id=client.organisation_id,
        ).select_related("process__unit", "caseworker")
    )


def visit_for_client(client: ApiClient, visit_id: uuid.UUID) -> Visit | None:
    return visits_for_client(client).filter(pk=visit_id).first()


def visit_state(visit_id: uuid.UUID) -> str | None:
    visit = with_state(Visit.objects.filter(pk=visit_id)).values_list("api_state", flat=True)  # type: ignore[misc]
    return visit.first()


def processes_for_client(client: ApiClient) -> QuerySet[Process]:
    return (
        Process.objects.filter(
            unit__in=client.units.all(), unit__organisation_id=client.organisation_id
        )
        .select_related("unit")
        .order_by("unit_id", "code")
    )
