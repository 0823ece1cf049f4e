"""The write side of visits: create, invite, redeem, consent, enter, admit, deny, leave, end."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests import factories
from tests.helpers import GroupListener, db_columns_containing
from videocontact.accounts.models import DisplayNamePolicy, Process, Role, User
from videocontact.privacy.models import AuditEvent, ConsentDecision, ConsentRecord
from videocontact.rooms import events
from videocontact.visits import services
from videocontact.visits.errors import InvitationError, NotAllowed, NotWaiting, RoomFull
from videocontact.visits.models import (
    Invitation,
    Participant,
    ParticipantRole,
    ParticipantState,
    Visit,
    VisitStatus,
)
from videocontact.visits.tokens import hash_token

pytestmark = pytest.mark.django_db


def actions(visit: Visit) -> list[str]:
    return list(AuditEvent.objects.filter(visit_id=visit.id).values_list("action", flat=True))


# visit_create -------------------------------------------------------------------------------


def test_visit_create_makes_caseworker_and_resident_participants(
    process: Process, caseworker: User
) -> None:
    visit, issued = services.visit_create(
        process=process,
        caseworker=caseworker,
        resident_name="  Amina Haddad ",
        resident_language="ar",
        case_reference=" Z-123 ",
    )

    assert visit.status == VisitStatus.PLANNED
    assert visit.resident_name == "Amina Haddad"
    assert visit.case_reference == "Z-123"
    assert visit.resident_language == "ar"
    staff, resident = visit.participants.order_by("created_at")
    assert (staff.role, staff.user, staff.state) == (
        ParticipantRole.CASEWORKER,
        caseworker,
        ParticipantState.INVITED,
    )
    assert staff.display_name == "Sanne"  # the organisation's default policy: first name
    assert (resident.role, resident.user, resident.state) == (
        ParticipantRole.RESIDENT,
        None,
        ParticipantState.INVITED,
    )
    assert resident.display_name == "Amina Haddad"
    assert issued.invitation.participant == resident
    assert actions(visit) == ["visit.created", "invitation.issued"]


def test_invitation_token_is_random_and_only_its_hash_is_stored(
    process: Process, caseworker: User
) -> None:
    _, issued = services.visit_create(
        process=process, caseworker=caseworker, resident_name="Amina Haddad"
    )
    token = issued.token

    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(raw) * 8 >= 128
    assert issued.invitation.token_hash == hash_token(token)
    assert len(issued.invitation.token_hash) == 64
    assert db_columns_containing(token) == []
    # the hash is what is stored; the token is not derivable from anything in the database
    assert Invitation.objects.get().token_hash != token


def test_tokens_differ_between_invitations(process: Process, caseworker: User) -> None:
    tokens = {
        factories.make_visit(process=process, caseworker=caseworker)[1].token for _ in range(20)
    }
    assert len(tokens) == 20


def test_link_for_a_visit_now_is_valid_from_now_for_four_hours(
    process: Process, caseworker: User, settings
) -> None:
    before = timezone.now()
    _, issued = services.visit_create(
        process=process, caseworker=caseworker, resident_name="Amina Haddad"
    )
    after = timezone.now()

    invitation = issued.invitation
    assert before <= invitation.valid_from <= after
    assert (
        invitation.valid_until - invitation.valid_from
        == timedelta(minutes=settings.INVITATION_IMMEDIATE_VALID_MINUTES)
        == timedelta(hours=4)
    )


def test_link_for_a_planned_visit_opens_30_minutes_before_and_closes_2_hours_after(
    process: Process, caseworker: User
) -> None:
    planned = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    _, issued = services.visit_create(
        process=process, caseworker=caseworker, resident_name="Amina Haddad", scheduled_at=planned
    )

    assert issued.invitation.valid_from == planned - timedelta(minutes=30)
    assert issued.invitation.valid_until == planned + timedelta(hours=2)


def test_staff_display_name_follows_the_organisation_policy(
    process: Process, caseworker: User
) -> None:
    organisation = process.unit.organisation
    organisation.display_name_policy = DisplayNamePolicy.ROLE_LABEL
    organisation.save()
    visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    staff = visit.participants.get(role=ParticipantRole.CASEWORKER)
    assert staff.display_name == "Medewerker Sociale Zaken"


# invitation_issue / revoke -----------------------------------------------------------------


def test_invitation_issue_revokes_earlier_links(
    visit: Visit, token: str, resident: Participant, caseworker: User
) -> None:
    first = resident.invitations.get()

    issued = services.invitation_issue(participant=resident, by_user=caseworker)

    first.refresh_from_db()
    assert first.revoked_at is not None
    assert issued.invitation.revoked_at is None
    assert issued.token != token
    with pytest.raises(InvitationError) as exc:
        services.invitation_redeem(token=token)
    assert exc.value.reason == "revoked"
    assert services.invitation_redeem(token=issued.token) == resident
    assert actions(visit).count("invitation.issued") == 2


def test_invitation_revoke_is_audited_once(
    visit: Visit, token: str, resident: Participant, caseworker: User
) -> None:
    invitation = resident.invitations.get()
    services.invitation_revoke(invitation=invitation, by_user=caseworker)
    revoked_at = Invitation.objects.get(pk=invitation.pk).revoked_at
    services.invitation_revoke(invitation=invitation, by_user=caseworker)

    assert Invitation.objects.get(pk=invitation.pk).revoked_at == revoked_at
    assert actions(visit).count("invitation.revoked") == 1
    event = AuditEvent.objects.get(action="invitation.revoked")
    assert event.actor_user == caseworker
    assert event.object_id == str(invitation.pk)


# invitation_redeem ---------------------------------------------------------------------------


def test_redeem_returns_the_participant_and_counts_uses(
    visit: Visit, token: str, resident: Participant
) -> None:
    assert services.invitation_redeem(token=token) == resident
    assert services.invitation_redeem(token=token) == resident

    invitation = resident.invitations.get()
    assert invitation.use_count == 2
    assert invitation.first_used_at is not None
    event = AuditEvent.objects.filter(action="invitation.redeemed").first()
    assert event is not None
    assert event.actor_participant_id == resident.id
    assert event.actor_user is None


@pytest.mark.parametrize(
    "bad_token",
    [
        "",
        "short",
        "x" * 65,
        "../../etc/passwd-xxxxxxxxxxxx",
        "tøken-with-ünicode-chars-1234",
        "has space in the token 123456",
        "a" * 32,
    ],
)
def test_redeem_unknown_or_malformed_token(visit: Visit, bad_token: str) -> None:
    with pytest.raises(InvitationError) as exc:
        services.invitation_redeem(token=bad_token)
    assert exc.value.reason == "unknown"
    assert exc.value.opens_at is None


def test_redeem_revoked(visit: Visit, token: str, resident: Participant, caseworker: User) -> None:
    services.invitation_revoke(invitation=resident.invitations.get(), by_user=caseworker)
    with pytest.raises(InvitationError) as exc:
        services.invitation_redeem(token=token)
    assert exc.value.reason == "revoked"


def test_redeem_expired(visit: Visit, token: str, resident: Participant) -> None:
    valid_until = resident.invitations.get().valid_until
    assert services.invitation_redeem(token=token, now=valid_until) == resident
    with pytest.raises(InvitationError) as exc:
        services.invitation_redeem(token=token, now=valid_until + timedelta(seconds=1))
    assert exc.value.reason == "expired"


def test_redeem_not_yet_valid_tells_when_the_link_opens(process: Process, caseworker: User) -> None:
    planned = timezone.now() + timedelta(days=1)
    visit, issued = factories.make_visit(
        process=process, caseworker=caseworker, scheduled_at=planned
    )
    opens = planned - timedelta(minutes=30)

    with pytest.raises(InvitationError) as exc:
        services.invitation_redeem(token=issued.token)
    assert exc.value.reason == "not_yet_valid"
    assert exc.value.opens_at == opens
    assert services.invitation_redeem(token=issued.token, now=opens) == factories.resident_of(visit)


def test_redeem_for_a_closed_visit(visit: Visit, token: str, caseworker: User) -> None:
    services.visit_end(visit=visit, by_user=caseworker)
    with pytest.raises(InvitationError) as exc:
        services.invitation_redeem(token=token)
    assert exc.value.reason == "closed"


def test_redeem_failure_does_not_count_a_use(
    visit: Visit, token: str, resident: Participant
) -> None:
    invitation = resident.invitations.get()
    with pytest.raises(InvitationError):
        services.invitation_redeem(token=token, now=invitation.valid_until + timedelta(days=1))
    invitation.refresh_from_db()
    assert (invitation.use_count, invitation.first_used_at) == (0, None)


# consent ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted", "state", "decision"),
    [
        (True, ParticipantState.CONSENTED, ConsentDecision.ACCEPTED),
        (False, ParticipantState.DECLINED, ConsentDecision.DECLINED),
    ],
)
def test_consent_record(
    visit: Visit, resident: Participant, accepted: bool, state: str, decision: str
) -> None:
    services.consent_record(participant=resident, accepted=accepted, language="ar")

    resident.refresh_from_db()
    assert resident.state == state
    assert (resident.consented_at is not None) is accepted
    record = ConsentRecord.objects.get(participant=resident)
    assert (record.decision, record.language, record.text_version) == (
        decision,
        "ar",
        services.CONSENT_TEXT_VERSION,
    )
    event = AuditEvent.objects.get(action=f"consent.{decision}")
    assert event.visit_id == visit.id
    assert event.actor_participant_id == resident.id
    assert event.object_id == str(resident.id)
    assert event.data == {"text_version": services.CONSENT_TEXT_VERSION, "language": "ar"}


def test_consent_is_published_to_the_staff_lobby(
    visit: Visit, resident: Participant, django_capture_on_commit_callbacks
) -> None:
    listener = GroupListener(events.staff_group(visit.id))
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_record(participant=resident, accepted=True, language="nl")

    (message,) = listener.receive(1)
    assert message["type"] == "room.frame"
    lobby = message["frame"]
    assert lobby["type"] == "lobby"
    assert {
        "participantId": str(resident.id),
        "role": "resident",
        "name": "Amina Haddad",
        "state": "consented",
        "online": False,
    } in lobby["participants"]


# participant_enter_room ----------------------------------------------------------------------


def staff_participant(visit: Visit) -> Participant:
    return visit.participants.get(role=ParticipantRole.CASEWORKER)


def test_staff_enters_admitted_and_the_visit_starts(visit: Visit) -> None:
    staff = staff_participant(visit)

    state = services.participant_enter_room(participant=staff, is_staff=True)

    assert state == ParticipantState.ADMITTED
    staff.refresh_from_db()
    assert staff.state == ParticipantState.ADMITTED
    assert staff.admitted_at is not None
    visit.refresh_from_db()
    assert visit.status == VisitStatus.ACTIVE
    assert visit.started_at is not None
    assert "participant.joined" in actions(visit)


def test_resident_who_consented_waits(visit: Visit, resident: Participant) -> None:
    services.consent_record(participant=resident, accepted=True, language="nl")

    state = services.participant_enter_room(participant=resident, is_staff=False)

    assert state == ParticipantState.WAITING
    resident.refresh_from_db()
    assert resident.state == ParticipantState.WAITING
    assert resident.waiting_since is not None
    assert resident.last_seen_at is not None
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_reconnect_within_grace_keeps_admitted(visit: Visit, settings: Any) -> None:
    guest = factories.make_participant(
        visit=visit,
        state=ParticipantState.ADMITTED,
        last_seen_at=timezone.now() - timedelta(seconds=settings.ROOM_RECONNECT_GRACE_SECONDS - 5),
    )
    assert services.participant_enter_room(participant=guest, is_staff=False) == "admitted"
    guest.refresh_from_db()
    assert guest.state == ParticipantState.ADMITTED
    assert guest.last_seen_at is not None
    assert guest.last_seen_at >= timezone.now() - timedelta(seconds=5)


def test_reconnect_after_grace_waits_again(visit: Visit, settings: Any) -> None:
    guest = factories.make_participant(
        visit=visit,
        state=ParticipantState.ADMITTED,
        last_seen_at=timezone.now() - timedelta(seconds=settings.ROOM_RECONNECT_GRACE_SECONDS + 5),
    )
    assert services.participant_enter_room(participant=guest, is_staff=False) == "waiting"


def test_staff_reconnect_within_grace_is_not_counted_twice(visit: Visit) -> None:
    staff = staff_participant(visit)
    services.participant_enter_room(participant=staff, is_staff=True)
    services.participant_enter_room(participant=staff, is_staff=True)
    assert actions(visit).count("participant.joined") == 1


@pytest.mark.parametrize("state", [ParticipantState.INVITED, ParticipantState.DECLINED])
def test_resident_without_consent_may_not_enter(
    visit: Visit, resident: Participant, state: str
) -> None:
    Participant.objects.filter(pk=resident.pk).update(state=state)
    with pytest.raises(NotAllowed):
        services.participant_enter_room(participant=resident, is_staff=False)
    resident.refresh_from_db()
    assert resident.state == state


def test_nobody_enters_an_ended_visit(visit: Visit, caseworker: User) -> None:
    services.visit_end(visit=visit, by_user=caseworker)
    with pytest.raises(NotAllowed):
        services.participant_enter_room(participant=staff_participant(visit), is_staff=True)


# participant_admit / deny ------------------------------------------------------------------


def waiting_guest(visit: Visit, role: str = ParticipantRole.FAMILY) -> Participant:
    guest = factories.make_participant(visit=visit, role=role)
    services.participant_enter_room(participant=guest, is_staff=False)
    return guest


def test_admit_a_waiting_participant(
    visit: Visit, resident: Participant, caseworker: User, django_capture_on_commit_callbacks
) -> None:
    services.consent_record(participant=resident, accepted=True, language="nl")
    services.participant_enter_room(participant=resident, is_staff=False)
    listener = GroupListener(events.participant_group(resident.id))

    with django_capture_on_commit_callbacks(execute=True):
        services.participant_admit(participant=resident, by_user=caseworker)

    resident.refresh_from_db()
    assert resident.state == ParticipantState.ADMITTED
    assert resident.admitted_at is not None
    assert listener.receive(1) == [{"type": "room.admitted"}]
    event = AuditEvent.objects.get(action="participant.admitted")
    assert (event.actor_user, event.object_id) == (caseworker, str(resident.id))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.ACTIVE


def test_admit_refuses_a_participant_who_is_not_waiting(
    visit: Visit, resident: Participant, caseworker: User
) -> None:
    with pytest.raises(NotWaiting):
        services.participant_admit(participant=resident, by_user=caseworker)


def test_at_most_four_in_the_call(visit: Visit, caseworker: User, settings: Any) -> None:
    assert settings.VISIT_MAX_PARTICIPANTS == 4
    services.participant_enter_room(participant=staff_participant(visit), is_staff=True)
    guests = [
        waiting_guest(visit, role)
        for role in (
            ParticipantRole.RESIDENT,
            ParticipantRole.INTERPRETER,
            ParticipantRole.FAMILY,
            ParticipantRole.FAMILY,
        )
    ]
    for guest in guests[:3]:
        services.participant_admit(participant=guest, by_user=caseworker)

    with pytest.raises(RoomFull):
        services.participant_admit(participant=guests[3], by_user=caseworker)

    guests[3].refresh_from_db()
    assert guests[3].state == ParticipantState.WAITING
    assert visit.participants.filter(state=ParticipantState.ADMITTED).count() == 4


def test_a_place_is_freed_when_an_admitted_participant_is_gone_beyond_grace(
    visit: Visit, caseworker: User, settings
) -> None:
    long_ago = timezone.now() - timedelta(seconds=settings.ROOM_RECONNECT_GRACE_SECONDS + 1)
    for _ in range(4):
        factories.make_participant(
            visit=visit, state=ParticipantState.ADMITTED, last_seen_at=long_ago
        )
    guest = waiting_guest(visit)
    services.participant_admit(participant=guest, by_user=caseworker)
    guest.refresh_from_db()
    assert guest.state == ParticipantState.ADMITTED


def test_a_fifth_staff_member_is_refused_too(
    visit: Visit, caseworker: User, colleague: User
) -> None:
    for _ in range(4):
        factories.make_participant(visit=visit, state=ParticipantState.ADMITTED)
    staff = services.staff_participant_get_or_create(visit=visit, user=colleague)
    with pytest.raises(RoomFull):
        services.participant_enter_room(participant=staff, is_staff=True)


def test_deny(visit: Visit, caseworker: User, django_capture_on_commit_callbacks) -> None:
    guest = waiting_guest(visit)
    listener = GroupListener(events.participant_group(guest.id))

    with django_capture_on_commit_callbacks(execute=True):
        services.participant_deny(participant=guest, by_user=caseworker)

    guest.refresh_from_db()
    assert guest.state == ParticipantState.DENIED
    assert listener.receive(1) == [{"type": "room.frame", "frame": {"type": "denied"}}]
    assert AuditEvent.objects.get(action="participant.denied").actor_user == caseworker
    with pytest.raises(NotWaiting):
        services.participant_deny(participant=guest, by_user=caseworker)


def test_leave(visit: Visit, caseworker: User, django_capture_on_commit_callbacks) -> None:
    guest = waiting_guest(visit)
    services.participant_admit(participant=guest, by_user=caseworker)
    listener = GroupListener(events.visit_group(visit.id))

    with django_capture_on_commit_callbacks(execute=True):
        services.participant_leave(participant=guest)

    guest.refresh_from_db()
    assert guest.state == ParticipantState.LEFT
    assert listener.receive(1)[0]["frame"]["type"] == "presence"
    assert AuditEvent.objects.get(action="participant.left").actor_participant_id == guest.id


# visit_end -----------------------------------------------------------------------------------


def test_visit_end(
    visit: Visit, resident: Participant, caseworker: User, django_capture_on_commit_callbacks
) -> None:
    staff = staff_participant(visit)
    services.participant_enter_room(participant=staff, is_staff=True)
    guest = waiting_guest(visit)
    listener = GroupListener(*(events.participant_group(p.id) for p in (staff, guest, resident)))

    with django_capture_on_commit_callbacks(execute=True):
        services.visit_end(visit=visit, by_user=caseworker)

    visit.refresh_from_db()
    assert visit.status == VisitStatus.ENDED
    assert visit.ended_at is not None
    assert not visit.is_open
    states = dict(visit.participants.values_list("id", "state"))
    assert states[staff.id] == states[guest.id] == ParticipantState.LEFT
    assert states[resident.id] == ParticipantState.INVITED
    ended = {"type": "room.ended", "reason": "ended_by_staff"}
    assert listener.receive(3) == [ended] * 3
    assert AuditEvent.objects.get(action="visit.ended").actor_user == caseworker


def test_visit_end_twice_is_harmless(visit: Visit, caseworker: User) -> None:
    services.visit_end(visit=visit, by_user=caseworker)
    ended_at = Visit.objects.get(pk=visit.pk).ended_at
    services.visit_end(visit=visit, by_user=caseworker)
    assert Visit.objects.get(pk=visit.pk).ended_at == ended_at
    assert actions(visit).count("visit.ended") == 1


def test_nothing_is_published_before_commit(
    visit: Visit, caseworker: User, django_capture_on_commit_callbacks
) -> None:
    listener = GroupListener(events.participant_group(staff_participant(visit).id))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.visit_end(visit=visit, by_user=caseworker)
    assert callbacks  # the events wait for the commit
    assert listener.nothing_more()


# staff participants --------------------------------------------------------------------------


def test_staff_participant_get_or_create(visit: Visit, caseworker: User, colleague: User) -> None:
    assert services.staff_participant_get_or_create(visit=visit, user=caseworker) == (
        staff_participant(visit)
    )

    second = services.staff_participant_get_or_create(visit=visit, user=colleague)
    again = services.staff_participant_get_or_create(visit=visit, user=colleague)

    assert second == again
    assert second.role == ParticipantRole.COLLEAGUE
    assert second.display_name == "Youssef"
    assert actions(visit).count("participant.staff_added") == 1


def test_team_lead_joins_as_colleague(visit: Visit, unit) -> None:
    lead = factories.make_user(unit=unit, role=Role.TEAM_LEAD)
    participant = services.staff_participant_get_or_create(visit=visit, user=lead)
    assert participant.role == ParticipantRole.COLLEAGUE


@pytest.mark.parametrize("state", [ParticipantState.WAITING, ParticipantState.ADMITTED])
def test_consenting_again_does_not_take_a_participant_out_of_the_room(
    visit: Visit, resident: Participant, state: str
) -> None:
    """E.g. the back button to the consent page and "yes" again, while in the call."""
    services.consent_record(participant=resident, accepted=True, language="nl")
    Participant.objects.filter(pk=resident.pk).update(state=state)
    resident.refresh_from_db()

    services.consent_record(participant=resident, accepted=True, language="nl")

    resident.refresh_from_db()
    assert resident.state == state
    assert ConsentRecord.objects.filter(participant=resident).count() == 2


def test_consenting_after_declining(visit: Visit, resident: Participant) -> None:
    services.consent_record(participant=resident, accepted=False, language="nl")
    services.consent_record(participant=resident, accepted=True, language="nl")
    resident.refresh_from_db()
    assert resident.state == ParticipantState.CONSENTED
    assert resident.consented_at is not None
