"""Guests: interpreters and family members with their own link and consent, second caseworkers
from the same unit, removal, and the limits that keep a call within what it can hold."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests import factories
from videocontact.accounts.models import Process, Role, Unit, User
from videocontact.privacy.models import AuditEvent, ConsentRecord
from videocontact.rooms.payloads import lobby_frame
from videocontact.visits import services
from videocontact.visits.errors import GuestError, NotAllowed
from videocontact.visits.models import Participant, ParticipantRole, ParticipantState, Visit
from videocontact.visits.selectors import (
    colleague_choices,
    expected_count,
    guests_for_visit,
    visits_as_colleague,
)

pytestmark = pytest.mark.django_db


def add_interpreter(visit: Visit, by: User, name: str = "Ahmed Tolk") -> tuple[Participant, str]:
    guest, issued = services.guest_add(
        visit=visit, by_user=by, role=ParticipantRole.INTERPRETER, display_name=name
    )
    return guest, issued.token


def link_in(html: str) -> str | None:
    match = re.search(r'id="invite-link" value="([^"]+)"', html)
    return match.group(1) if match else None


@pytest.fixture
def staff_client(client: Client, caseworker: User) -> Client:
    client.force_login(caseworker)
    return client


# Services ------------------------------------------------------------------------------------


def test_guest_add_gives_an_interpreter_their_own_link(visit: Visit, caseworker: User) -> None:
    guest, token = add_interpreter(visit, caseworker, "  Ahmed Tolk ")
    assert (guest.role, guest.display_name, guest.state) == ("interpreter", "Ahmed Tolk", "invited")
    assert guest.user is None
    assert services.invitation_redeem(token=token) == guest
    # The resident's link is untouched: every guest's link is their own.
    resident = visit.participants.get(role=ParticipantRole.RESIDENT)
    assert resident.invitations.filter(revoked_at__isnull=True).count() == 1
    added = AuditEvent.objects.get(action="participant.guest_added")
    assert added.object_id == str(guest.id) and added.actor_user == caseworker
    assert added.data == {"role": "interpreter"}  # no name, no token in the audit trail
    assert AuditEvent.objects.filter(action="invitation.issued", visit_id=visit.id).count() == 2


def test_family_member_keeps_their_language(visit: Visit, caseworker: User) -> None:
    guest, _ = services.guest_add(
        visit=visit, by_user=caseworker, role="family", display_name="Fatima", language="ar"
    )
    assert guest.language == "ar" and guest.ui_language == "ar"
    interpreter, _ = add_interpreter(visit, caseworker)
    assert interpreter.ui_language == visit.resident_language


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"role": "resident", "display_name": "X"}, "role"),
        ({"role": "caseworker", "display_name": "X"}, "role"),
        ({"role": "colleague", "display_name": "X"}, "role"),
        ({"role": "interpreter", "display_name": "   "}, "name"),
        ({"role": "family", "display_name": "X", "language": "xx"}, "language"),
    ],
)
def test_guest_add_refuses_bad_input(
    visit: Visit, caseworker: User, kwargs: dict[str, Any], reason: str
) -> None:
    with pytest.raises(GuestError) as exc:
        services.guest_add(visit=visit, by_user=caseworker, **kwargs)
    assert exc.value.reason == reason
    assert not guests_for_visit(visit).exists()


def test_no_guests_for_an_ended_visit(visit: Visit, caseworker: User) -> None:
    services.visit_end(visit=visit, by_user=caseworker)
    with pytest.raises(GuestError) as exc:
        add_interpreter(visit, caseworker)
    assert exc.value.reason == "closed"


def test_guests_are_limited_per_visit(visit: Visit, caseworker: User) -> None:
    for n in range(services.MAX_GUESTS):
        add_interpreter(visit, caseworker, f"Tolk {n}")
    with pytest.raises(GuestError) as exc:
        add_interpreter(visit, caseworker, "One too many")
    assert exc.value.reason == "too_many"
    # Removing one makes room again.
    services.guest_remove(participant=guests_for_visit(visit).first(), by_user=caseworker)
    add_interpreter(visit, caseworker, "Now it fits")


def test_expected_count_leaves_out_removed_declined_and_denied(
    visit: Visit, caseworker: User
) -> None:
    assert expected_count(visit) == 2  # caseworker and resident
    a, _ = add_interpreter(visit, caseworker, "A")
    b, _ = add_interpreter(visit, caseworker, "B")
    c, _ = add_interpreter(visit, caseworker, "C")
    assert expected_count(visit) == 5
    services.guest_remove(participant=a, by_user=caseworker)
    services.consent_record(participant=b, accepted=False, language="nl")
    assert expected_count(visit) == 3
    assert set(guests_for_visit(visit)) == {b, c}


def test_guest_consent_uses_the_text_for_their_role(visit: Visit, caseworker: User) -> None:
    guest, _ = add_interpreter(visit, caseworker)
    services.consent_record(participant=guest, accepted=True, language="nl")
    record = ConsentRecord.objects.get(participant=guest)
    assert record.text_version == services.GUEST_CONSENT_TEXT_VERSIONS["interpreter"]
    resident = visit.participants.get(role=ParticipantRole.RESIDENT)
    services.consent_record(participant=resident, accepted=True, language="nl")
    assert ConsentRecord.objects.get(participant=resident).text_version == (
        services.CONSENT_TEXT_VERSION
    )


def test_a_guest_waits_and_is_admitted_like_the_resident(visit: Visit, caseworker: User) -> None:
    guest, _ = add_interpreter(visit, caseworker)
    with pytest.raises(NotAllowed):
        services.participant_enter_room(participant=guest, is_staff=False)  # no consent yet
    services.consent_record(participant=guest, accepted=True, language="nl")
    assert services.participant_enter_room(participant=guest, is_staff=False) == "waiting"
    services.participant_admit(participant=guest, by_user=caseworker)
    guest.refresh_from_db()
    assert guest.state == ParticipantState.ADMITTED


def test_guest_remove_revokes_links_and_takes_them_out_of_the_call(
    visit: Visit, caseworker: User, django_capture_on_commit_callbacks: Any
) -> None:
    guest, token = add_interpreter(visit, caseworker)
    services.consent_record(participant=guest, accepted=True, language="nl")
    services.participant_enter_room(participant=guest, is_staff=False)
    services.participant_admit(participant=guest, by_user=caseworker)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.guest_remove(participant=guest, by_user=caseworker)
    assert callbacks, "the removal is published after commit"
    guest.refresh_from_db()
    assert guest.removed_at is not None and guest.state == ParticipantState.LEFT
    assert not guest.invitations.filter(revoked_at__isnull=True).exists()
    removed = AuditEvent.objects.get(action="participant.removed")
    assert removed.data == {"role": "interpreter", "state": "admitted"}
    assert AuditEvent.objects.filter(action="invitation.revoked", object_id__isnull=False).exists()
    # The link no longer works, the room refuses them, and the lobby no longer lists them.
    with pytest.raises(services.InvitationError) as exc:
        services.invitation_redeem(token=token)
    assert exc.value.reason == "revoked"
    with pytest.raises(NotAllowed):
        services.participant_enter_room(participant=guest, is_staff=False)
    assert str(guest.id) not in {p["participantId"] for p in lobby_frame(visit.id)["participants"]}
    # Removing twice changes nothing.
    services.guest_remove(participant=guest, by_user=caseworker)
    assert AuditEvent.objects.filter(action="participant.removed").count() == 1


def test_caseworker_and_resident_cannot_be_removed(visit: Visit, caseworker: User) -> None:
    for participant in visit.participants.all():
        with pytest.raises(GuestError):
            services.guest_remove(participant=participant, by_user=caseworker)


# Second caseworker ---------------------------------------------------------------------------


def test_colleague_add_and_dashboard(visit: Visit, caseworker: User, colleague: User) -> None:
    assert list(colleague_choices(visit)) == [colleague]
    participant = services.colleague_add(visit=visit, by_user=caseworker, colleague=colleague)
    assert (participant.role, participant.user) == ("colleague", colleague)
    assert list(visits_as_colleague(colleague)) == [visit]
    assert list(visits_as_colleague(caseworker)) == []
    assert list(colleague_choices(visit)) == []  # already taking part
    # Adding again is harmless; joining the call uses the same row.
    assert services.colleague_add(visit=visit, by_user=caseworker, colleague=colleague) == (
        participant
    )
    assert services.staff_participant_get_or_create(visit=visit, user=colleague) == participant
    assert AuditEvent.objects.filter(action="participant.colleague_added").count() == 1
    assert services.participant_enter_room(participant=participant, is_staff=True) == "admitted"


def test_colleague_must_work_in_the_unit(
    visit: Visit, caseworker: User, outsider: User, organisation: Any
) -> None:
    other_unit = factories.make_unit(organisation=organisation, name="Andere afdeling")
    same_org = factories.make_user(unit=other_unit, username="anders")
    admin_only = factories.make_user(
        unit=visit.process.unit, role=Role.FUNCTIONAL_ADMIN, username="beheer"
    )
    for user in (outsider, same_org, admin_only, caseworker):
        assert user not in colleague_choices(visit)
        with pytest.raises(GuestError):
            services.colleague_add(visit=visit, by_user=caseworker, colleague=user)
    assert not guests_for_visit(visit).exists()


def test_team_lead_of_the_unit_can_be_second_caseworker(
    visit: Visit, caseworker: User, unit: Unit
) -> None:
    lead = factories.make_user(unit=unit, role=Role.TEAM_LEAD, username="lead")
    assert lead in colleague_choices(visit)
    services.colleague_add(visit=visit, by_user=caseworker, colleague=lead)


def test_removed_colleague_cannot_rejoin_until_added_again(
    visit: Visit, caseworker: User, colleague: User
) -> None:
    participant = services.colleague_add(visit=visit, by_user=caseworker, colleague=colleague)
    services.participant_enter_room(participant=participant, is_staff=True)
    services.guest_remove(participant=participant, by_user=caseworker)
    assert list(visits_as_colleague(colleague)) == []
    again = services.staff_participant_get_or_create(visit=visit, user=colleague)
    with pytest.raises(NotAllowed):
        services.participant_enter_room(participant=again, is_staff=True)
    services.colleague_add(visit=visit, by_user=caseworker, colleague=colleague)
    assert services.participant_enter_room(participant=again, is_staff=True) == "admitted"


# Staff views ---------------------------------------------------------------------------------


def test_add_interpreter_shows_their_link_once(staff_client: Client, visit: Visit) -> None:
    staff_client.get(f"/staff/visits/{visit.id}/")  # the resident's fresh link is gone now
    response = staff_client.post(
        f"/staff/visits/{visit.id}/guests",
        {"role": "interpreter", "display_name": "Ahmed Tolk", "language": "nl"},
    )
    assert response.status_code == 302
    page = staff_client.get(f"/staff/visits/{visit.id}/").content.decode()
    link = link_in(page)
    assert link and "/j/" in link
    assert "Ahmed Tolk (Interpreter)" in page or "Ahmed Tolk (Tolk)" in page
    assert "<svg" in page  # the QR code
    guest = guests_for_visit(visit).get()
    token = link.rsplit("/j/", 1)[1]
    assert services.invitation_redeem(token=token) == guest
    assert link_in(staff_client.get(f"/staff/visits/{visit.id}/").content.decode()) is None


def test_add_guest_form_errors_are_400_and_keep_the_input(
    staff_client: Client, visit: Visit
) -> None:
    response = staff_client.post(
        f"/staff/visits/{visit.id}/guests", {"role": "interpreter", "display_name": ""}
    )
    assert response.status_code == 400
    assert response.context["guest_form"].errors["display_name"]
    response = staff_client.post(f"/staff/visits/{visit.id}/guests", {"role": "colleague"})
    assert response.status_code == 400 and response.context["guest_form"].errors["colleague"]
    response = staff_client.post(f"/staff/visits/{visit.id}/guests", {"role": "boss"})
    assert response.status_code == 400 and response.context["guest_form"].errors["role"]
    assert not guests_for_visit(visit).exists()


def test_add_colleague_from_another_unit_is_refused(
    staff_client: Client, visit: Visit, outsider: User
) -> None:
    response = staff_client.post(
        f"/staff/visits/{visit.id}/guests", {"role": "colleague", "colleague": outsider.pk}
    )
    assert response.status_code == 400
    assert "colleague" in response.context["guest_form"].errors
    assert not guests_for_visit(visit).exists()


def test_add_colleague_shows_the_visit_on_their_dashboard(
    staff_client: Client, visit: Visit, colleague: User
) -> None:
    response = staff_client.post(
        f"/staff/visits/{visit.id}/guests", {"role": "colleague", "colleague": colleague.pk}
    )
    assert response.status_code == 302
    other = Client()
    other.force_login(colleague)
    dashboard = other.get("/staff/")
    assert list(dashboard.context["mine"]) == [visit]  # "my visits today" includes joined ones
    assert f'href="/staff/visits/{visit.id}/call"' in dashboard.content.decode()


def test_warning_when_more_are_invited_than_a_call_holds(
    staff_client: Client, visit: Visit, caseworker: User
) -> None:
    add_interpreter(visit, caseworker, "A")
    add_interpreter(visit, caseworker, "B")
    page = staff_client.get(f"/staff/visits/{visit.id}/").content.decode()
    assert 'id="guests-over"' not in page  # 4 people: fits
    add_interpreter(visit, caseworker, "C")
    page = staff_client.get(f"/staff/visits/{visit.id}/").content.decode()
    assert 'id="guests-over"' in page


def test_guest_list_shows_whether_the_link_was_opened(
    staff_client: Client, visit: Visit, caseworker: User
) -> None:
    guest, token = add_interpreter(visit, caseworker, "Ahmed Karimi")
    row = re.compile(rf'data-participant-id="{guest.id}">(.*?)</li>', re.S)
    page = staff_client.get(f"/staff/visits/{visit.id}/").content.decode()
    assert "Link nog niet geopend" in row.search(page).group(1)
    services.invitation_redeem(token=token)
    page = staff_client.get(f"/staff/visits/{visit.id}/").content.decode()
    assert "Link 1 keer geopend" in row.search(page).group(1)


def test_remove_guest_view(staff_client: Client, visit: Visit, caseworker: User) -> None:
    guest, _ = add_interpreter(visit, caseworker)
    response = staff_client.post(f"/staff/visits/{visit.id}/guests/{guest.id}/remove")
    assert response.status_code == 302
    guest.refresh_from_db()
    assert guest.removed_at is not None
    # Removing again, or the resident, or a participant of another visit: 404.
    assert staff_client.post(f"/staff/visits/{visit.id}/guests/{guest.id}/remove").status_code == (
        404
    )
    resident = visit.participants.get(role=ParticipantRole.RESIDENT)
    assert (
        staff_client.post(f"/staff/visits/{visit.id}/guests/{resident.id}/remove").status_code
        == 404
    )


def test_new_link_for_a_guest(staff_client: Client, visit: Visit, caseworker: User) -> None:
    guest, old_token = add_interpreter(visit, caseworker)
    response = staff_client.post(f"/staff/visits/{visit.id}/guests/{guest.id}/link")
    assert response.status_code == 302
    link = link_in(staff_client.get(f"/staff/visits/{visit.id}/").content.decode())
    assert link is not None
    with pytest.raises(services.InvitationError):
        services.invitation_redeem(token=old_token)
    assert services.invitation_redeem(token=link.rsplit("/j/", 1)[1]) == guest


def test_guest_views_check_permissions(
    client: Client, visit: Visit, caseworker: User, outsider: User, process: Process
) -> None:
    guest, _ = add_interpreter(visit, caseworker)
    urls = [
        f"/staff/visits/{visit.id}/guests",
        f"/staff/visits/{visit.id}/guests/{guest.id}/remove",
        f"/staff/visits/{visit.id}/guests/{guest.id}/link",
    ]
    for url in urls:
        assert client.post(url)["Location"].startswith("/accounts/login/"), url
        assert client.get(url).status_code == 302
    client.force_login(outsider)
    for url in urls:
        assert client.post(url, {"role": "interpreter", "display_name": "X"}).status_code == 404
    # A guest of another visit cannot be reached through this visit.
    other_visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    client.force_login(caseworker)
    assert (
        client.post(f"/staff/visits/{other_visit.id}/guests/{guest.id}/remove").status_code == 404
    )
    client.force_login(caseworker)
    assert client.get(f"/staff/visits/{visit.id}/guests").status_code == 405
    guest.refresh_from_db()
    assert guest.removed_at is None


# Guest pages ---------------------------------------------------------------------------------


def test_interpreter_gets_the_interpreter_consent(
    client: Client, visit: Visit, caseworker: User
) -> None:
    guest, token = add_interpreter(visit, caseworker, "Ahmed Karimi")
    response = client.get(f"/j/{token}")
    assert response["Location"] == f"/v/{visit.id}/"
    consent = client.get(f"/v/{visit.id}/consent")
    assert consent.status_code == 200
    assert next(t.name for t in consent.templates) == "resident/consent_guest.html"
    html = consent.content.decode()
    assert "nodigt u uit als tolk" in html  # Dutch, the visit's language
    assert visit.resident_name not in html  # the interpreter does not see the resident's data
    client.post(f"/v/{visit.id}/consent", {"decision": "accept"})
    guest.refresh_from_db()
    assert guest.state == ParticipantState.CONSENTED


def test_family_member_gets_their_own_language(
    client: Client, visit: Visit, caseworker: User
) -> None:
    _, issued = services.guest_add(
        visit=visit, by_user=caseworker, role="family", display_name="Olena", language="uk"
    )
    response = client.get(f"/j/{issued.token}")
    assert response.cookies["vc_language"].value == "uk"


def test_removed_guest_sees_that_they_are_no_longer_invited(
    client: Client, visit: Visit, caseworker: User
) -> None:
    guest, token = add_interpreter(visit, caseworker)
    client.get(f"/j/{token}")
    services.guest_remove(participant=guest, by_user=caseworker)
    for path in ("", "consent", "check", "call"):
        response = client.get(f"/v/{visit.id}/{path}")
        assert response.status_code == 410, path
        assert next(t.name for t in response.templates) == "resident/removed.html"


def test_an_interpreters_spoken_language_does_not_change_their_screens(
    staff_client: Client, visit: Visit
) -> None:
    """The caseworker says which language the interpreter speaks (Arabic) and, separately and
    visibly, the language of the interpreter's screens (Dutch)."""
    page = staff_client.get(f"/staff/visits/{visit.id}/").content.decode()
    assert 'for="id_language">Taal die de gast spreekt' in page
    assert 'for="id_interface_language">Taal van de schermen van de gast' in page
    response = staff_client.post(
        f"/staff/visits/{visit.id}/guests",
        {
            "role": "interpreter",
            "display_name": "Ahmed Tolk",
            "language": "ar",
            "interface_language": "nl",
        },
    )
    assert response.status_code == 302
    guest = guests_for_visit(visit).get()
    assert (guest.language, guest.interface_language, guest.ui_language) == ("ar", "nl", "nl")
    page = staff_client.get(f"/staff/visits/{visit.id}/").content.decode()
    token = link_in(page).rsplit("/j/", 1)[1]  # type: ignore[union-attr]
    # Each fact its own element (the separators are drawn by CSS, see staff.css).
    assert "<span>spreekt العربية</span>" in page
    assert "<span>schermen: Nederlands</span>" in page
    joined = Client().get(f"/j/{token}")
    assert joined.cookies["vc_language"].value == "nl"  # Dutch screens, as chosen


def test_the_screen_language_is_required_and_checked(staff_client: Client, visit: Visit) -> None:
    response = staff_client.post(
        f"/staff/visits/{visit.id}/guests",
        {"role": "family", "display_name": "Olena", "language": "uk", "interface_language": "xx"},
    )
    assert response.status_code == 400
    assert response.context["guest_form"].errors["interface_language"]
    with pytest.raises(GuestError):
        services.guest_add(
            visit=visit,
            by_user=visit.caseworker,
            role="family",
            display_name="Olena",
            language="uk",
            interface_language="xx",
        )


def test_without_a_screen_language_the_screens_are_dutch_not_the_spoken_language(
    staff_client: Client, visit: Visit
) -> None:
    staff_client.post(
        f"/staff/visits/{visit.id}/guests",
        {"role": "interpreter", "display_name": "Tolk", "language": "ar"},
    )
    guest = guests_for_visit(visit).get()
    assert (guest.language, guest.ui_language) == ("ar", "nl")
