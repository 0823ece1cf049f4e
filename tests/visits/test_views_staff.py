"""Caseworker pages: login, per-object permission checks, plan a visit, the link shown once."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.helpers import db_columns_containing
from videocontact.accounts.models import Process, Role, Unit, User
from videocontact.privacy.models import AuditEvent
from videocontact.visits.models import (
    Invitation,
    Participant,
    ParticipantRole,
    Visit,
    VisitStatus,
)

pytestmark = pytest.mark.django_db


def get_urls(visit: Visit) -> list[str]:
    return [f"/staff/visits/{visit.id}/", f"/staff/visits/{visit.id}/call"]


def post_urls(visit: Visit) -> list[str]:
    return [
        f"/staff/visits/{visit.id}/invitation",
        f"/staff/visits/{visit.id}/revoke",
        f"/staff/visits/{visit.id}/end",
    ]


def link_in(html: str) -> str | None:
    match = re.search(r'id="invite-link" value="([^"]+)"', html)
    return match.group(1) if match else None


@pytest.fixture
def staff_client(client: Client, caseworker: User) -> Client:
    client.force_login(caseworker)
    return client


# Authentication and authorisation -----------------------------------------------------------


def test_staff_pages_need_login(client: Client, visit: Visit) -> None:
    for url in ["/staff/", "/staff/visits/new", *get_urls(visit)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")
    for url in post_urls(visit):
        assert client.post(url)["Location"].startswith("/accounts/login/"), url
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_login_page_and_login(client: Client, caseworker: User) -> None:
    caseworker.set_password("a-long-test-password")
    caseworker.save()
    assert client.get("/accounts/login/").status_code == 200
    response = client.post(
        "/accounts/login/", {"username": "sanne", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    cookie = response.cookies["vc_session"]
    assert cookie["secure"] and cookie["httponly"]


@pytest.mark.parametrize("who", ["outsider", "privacy_officer", "other_unit_caseworker"])
def test_staff_without_access_get_404_for_every_visit_page(
    client: Client, visit: Visit, token: str, unit: Unit, outsider: User, who: str
) -> None:
    if who == "outsider":
        stranger = outsider
    elif who == "privacy_officer":
        stranger = factories.make_user(unit=unit, role=Role.PRIVACY_OFFICER)
    else:  # same municipality, another unit
        stranger = factories.make_user(
            unit=factories.make_unit(organisation=unit.organisation, name="Handhaving")
        )
    client.force_login(stranger)

    for url in get_urls(visit):
        assert client.get(url).status_code == 404, url
    for url in post_urls(visit):
        assert client.post(url).status_code == 404, url

    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1
    assert not Participant.objects.filter(user=stranger).exists()
    # (signing in is audited; nothing about the visit is)
    assert (
        not AuditEvent.objects.filter(actor_user=stranger).exclude(action="auth.signed_in").exists()
    )


def test_unknown_visit_is_404(staff_client: Client) -> None:
    assert (
        staff_client.get("/staff/visits/6f1c1d2e-0000-4000-8000-000000000000/").status_code == 404
    )


def test_team_lead_may_open_the_units_visits(client: Client, visit: Visit, unit: Unit) -> None:
    client.force_login(factories.make_user(unit=unit, role=Role.TEAM_LEAD))
    for url in get_urls(visit):
        assert client.get(url).status_code == 200, url


def test_dashboard_lists_only_the_units_visits(
    staff_client: Client, visit: Visit, outsider: User
) -> None:
    foreign_process = Process.objects.get(unit__memberships__user=outsider)
    factories.make_visit(
        process=foreign_process, caseworker=outsider, resident_name="Iemand Anders"
    )
    response = staff_client.get("/staff/")
    assert response.status_code == 200
    assert list(response.context["visits"]) == [visit]


def test_post_only_endpoints_refuse_get(staff_client: Client, visit: Visit) -> None:
    for url in post_urls(visit):
        assert staff_client.get(url).status_code == 405, url


# Planning a visit and its link --------------------------------------------------------------


def test_new_visit_form_offers_only_the_users_processes(
    staff_client: Client, process: Process, outsider: User
) -> None:
    response = staff_client.get("/staff/visits/new")
    assert response.status_code == 200
    assert list(response.context["form"].fields["process"].queryset) == [process]
    assert response.context["has_processes"]


def test_new_visit_refuses_a_process_of_another_unit(staff_client: Client, outsider: User) -> None:
    foreign_process = Process.objects.get(unit__memberships__user=outsider)
    response = staff_client.post(
        "/staff/visits/new",
        {
            "process": foreign_process.pk,
            "resident_name": "X",
            "resident_language": "nl",
            "when": "now",
        },
    )
    assert response.status_code == 200
    assert "process" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_new_visit_shows_link_and_qr_once(
    staff_client: Client, process: Process, caseworker: User
) -> None:
    planned = timezone.localtime(timezone.now() + timedelta(days=1)).replace(
        second=0, microsecond=0
    )
    response = staff_client.post(
        "/staff/visits/new",
        {
            "process": process.pk,
            "resident_name": "Amina Haddad",
            "resident_language": "ar",
            "when": "planned",
            "scheduled_at": planned.strftime("%Y-%m-%dT%H:%M"),
            "case_reference": "Z-42",
        },
    )

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/visits/{visit.id}/"
    assert (visit.caseworker, visit.process, visit.resident_language) == (caseworker, process, "ar")
    assert visit.scheduled_at == planned
    assert visit.case_reference == "Z-42"

    detail = staff_client.get(response["Location"])
    html = detail.content.decode()
    link = link_in(html)
    assert link is not None
    assert link == detail.context["link"]
    path = urlsplit(link).path
    token = path.removeprefix("/j/")
    assert path == f"/j/{token}" and len(token) >= 22
    assert "<svg" in html and detail.context["qr_svg"]
    assert Invitation.objects.get().token_hash != token

    again = staff_client.get(response["Location"])
    assert again.status_code == 200
    assert again.context["link"] is None and again.context["qr_svg"] is None
    assert token not in again.content.decode()
    assert "<svg" not in again.content.decode()
    # once shown, the raw token is nowhere in the database (sessions included)
    assert db_columns_containing(token) == []

    # and the link works for the resident (its window opens 30 minutes before the visit)
    visit.scheduled_at = timezone.now()
    visit.save()
    Invitation.objects.update(valid_from=timezone.now() - timedelta(minutes=1))
    assert Client().get(path).status_code == 302


def test_new_visit_now(staff_client: Client, process: Process) -> None:
    response = staff_client.post(
        "/staff/visits/new",
        {
            "process": process.pk,
            "resident_name": "Amina Haddad",
            "resident_language": "nl",
            "when": "now",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.scheduled_at is None
    token = urlsplit(staff_client.get(response["Location"]).context["link"]).path[3:]
    assert Client().get(f"/j/{token}").status_code == 302


def test_new_visit_form_errors_are_shown(staff_client: Client, process: Process) -> None:
    response = staff_client.post(
        "/staff/visits/new",
        {"process": process.pk, "resident_name": "", "resident_language": "nl", "when": "planned"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"resident_name", "scheduled_at"}
    assert not Visit.objects.exists()


def test_a_fresh_link_is_not_shown_on_another_visit(
    staff_client: Client, process: Process, visit: Visit
) -> None:
    staff_client.post(
        "/staff/visits/new",
        {"process": process.pk, "resident_name": "Ander", "resident_language": "nl", "when": "now"},
    )
    assert staff_client.get(f"/staff/visits/{visit.id}/").context["link"] is None


def test_renew_invitation(staff_client: Client, visit: Visit, token: str) -> None:
    response = staff_client.post(f"/staff/visits/{visit.id}/invitation")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/visits/{visit.id}/"

    new_link = staff_client.get(response["Location"]).context["link"]
    new_token = urlsplit(new_link).path[3:]
    assert new_token != token
    assert Client().get(f"/j/{token}", follow=True).status_code == 410
    assert Client().get(f"/j/{new_token}").status_code == 302


def test_revoke_invitation(staff_client: Client, visit: Visit, token: str) -> None:
    response = staff_client.post(f"/staff/visits/{visit.id}/revoke")
    assert response.status_code == 302
    assert not Invitation.objects.filter(revoked_at__isnull=True).exists()
    assert Client().get(f"/j/{token}", follow=True).status_code == 410
    detail = staff_client.get(f"/staff/visits/{visit.id}/")
    assert detail.context["link"] is None
    assert detail.context["invitation"].revoked_at is not None


def test_end_visit(staff_client: Client, visit: Visit, token: str) -> None:
    response = staff_client.post(f"/staff/visits/{visit.id}/end")
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.ENDED
    assert staff_client.get(f"/staff/visits/{visit.id}/call")["Location"] == (
        f"/staff/visits/{visit.id}/"
    )
    assert staff_client.post(f"/staff/visits/{visit.id}/invitation").status_code == 404
    assert Client().get(f"/j/{token}", follow=True).status_code == 410


def test_call_page_for_staff(staff_client: Client, visit: Visit) -> None:
    response = staff_client.get(f"/staff/visits/{visit.id}/call")
    assert response.status_code == 200
    config = response.context["config"]
    assert config["isStaff"] is True
    assert config["role"] == "caseworker"
    assert config["wsPath"] == f"/ws/visits/{visit.id}/"


def test_call_page_for_a_colleague_makes_them_a_participant(
    client: Client, visit: Visit, colleague: User
) -> None:
    client.force_login(colleague)
    response = client.get(f"/staff/visits/{visit.id}/call")
    assert response.status_code == 200
    assert response.context["config"]["role"] == "colleague"
    assert visit.participants.get(user=colleague).role == ParticipantRole.COLLEAGUE


def test_link_uses_the_configured_public_address(
    staff_client: Client, process: Process, settings
) -> None:
    settings.PUBLIC_BASE_URL = "https://video.voorbeeldstad.nl/"
    response = staff_client.post(
        "/staff/visits/new",
        {"process": process.pk, "resident_name": "Amina", "resident_language": "nl", "when": "now"},
    )
    link = staff_client.get(response["Location"]).context["link"]
    assert link.startswith("https://video.voorbeeldstad.nl/j/")  # not http://testserver/


def test_revoking_the_residents_link_leaves_the_guests_links_alone(
    staff_client: Client, visit: Visit, token: str, caseworker: User
) -> None:
    from videocontact.visits.models import ParticipantRole
    from videocontact.visits.services import guest_add

    _guest, issued = guest_add(
        visit=visit,
        by_user=caseworker,
        role=ParticipantRole.INTERPRETER,
        display_name="Tolk Arabisch",
        language="ar",
    )
    staff_client.post(f"/staff/visits/{visit.id}/revoke")
    assert Client().get(f"/j/{token}", follow=True).status_code == 410
    assert Client().get(f"/j/{issued.token}").status_code == 302
