"""Plain factory functions for test data. Visits and invitations go through the real services."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from videocontact.accounts.models import Membership, Organisation, Process, Role, Unit, User
from videocontact.visits import services
from videocontact.visits.models import Participant, ParticipantRole, ParticipantState, Visit
from videocontact.visits.services import IssuedInvitation
from videocontact.visits.session import bind_participant

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def make_organisation(**kwargs: Any) -> Organisation:
    n = _n()
    defaults: dict[str, Any] = {
        "slug": f"gemeente-{n}",
        "name": f"Gemeente {n}",
        "contact_phone": "14 010",
    }
    return Organisation.objects.create(**{**defaults, **kwargs})


def make_unit(*, organisation: Organisation | None = None, **kwargs: Any) -> Unit:
    defaults: dict[str, Any] = {"department": "Sociale Zaken", "name": f"Team {_n()}"}
    return Unit.objects.create(
        organisation=organisation or make_organisation(), **{**defaults, **kwargs}
    )


def make_process(
    *, unit: Unit | None = None, storage_approved: bool = True, **kwargs: Any
) -> Process:
    """A process; by default with the privacy officer's approval to store everything (storage
    is off until approved: `storage_approved=False` leaves it off)."""
    n = _n()
    defaults: dict[str, Any] = {
        "code": f"proces-{n}",
        "name": f"Proces {n}",
        "staff_label": "Medewerker Sociale Zaken",
        "retention_days": 90,
    }
    process = Process.objects.create(unit=unit or make_unit(), **{**defaults, **kwargs})
    if storage_approved:
        approve_storage(process)
    return process


def approve_storage(process: Process, **kinds: bool) -> Any:
    """A new approval version for the process: every kind allowed unless given as False."""
    from videocontact.privacy.approvals import storage_approve

    flags = {kind: kinds.get(kind, True) for kind in ("photos", "report", "notes", "transcript")}
    return storage_approve(
        process=process,
        by_user=None,
        retention_days=process.retention_days,
        check_role=False,
        **flags,
    )


def make_user(
    *, unit: Unit | None = None, role: str | None = Role.CASEWORKER, **kwargs: Any
) -> User:
    """A staff user; with `unit`, a member of that unit in `role`."""
    n = _n()
    defaults: dict[str, Any] = {
        "username": f"user{n}",
        "first_name": f"Sanne{n}",
        "last_name": "de Vries",
    }
    account = User.objects.create_user(**{**defaults, **kwargs})
    if unit is not None and role is not None:
        Membership.objects.create(user=account, unit=unit, role=role)
    return account


def make_visit(
    *,
    process: Process,
    caseworker: User,
    resident_name: str = "Amina Haddad",
    resident_language: str = "nl",
    scheduled_at: datetime | None = None,
    case_reference: str = "",
) -> tuple[Visit, IssuedInvitation]:
    return services.visit_create(
        process=process,
        caseworker=caseworker,
        resident_name=resident_name,
        resident_language=resident_language,
        scheduled_at=scheduled_at,
        case_reference=case_reference,
    )


def resident_of(visit: Visit) -> Participant:
    return visit.participants.get(role=ParticipantRole.RESIDENT)


def make_participant(
    *,
    visit: Visit,
    role: str = ParticipantRole.FAMILY,
    state: str = ParticipantState.CONSENTED,
    display_name: str | None = None,
    **kwargs: Any,
) -> Participant:
    """An extra (non-staff) participant such as an interpreter or a family member. There is no
    service for adding these yet, so the row is created directly."""
    fields: dict[str, Any] = {"display_name": display_name or f"Gast {_n()}", **kwargs}
    if state == ParticipantState.ADMITTED:
        now = timezone.now()
        fields.setdefault("admitted_at", now)
        fields.setdefault("last_seen_at", now)
    return Participant.objects.create(visit=visit, role=role, state=state, **fields)


def participant_session(*participants: Participant) -> str:
    """The key of a saved browser session bound to these participants (as /j/<token> does)."""
    session = SessionStore()
    for p in participants:
        bind_participant(session, p)
    session.save()
    assert session.session_key is not None
    return session.session_key


def staff_session(account: User) -> str:
    """The key of a saved, logged-in browser session for a staff user."""
    client = Client()
    client.force_login(account)
    return client.cookies["vc_session"].value
