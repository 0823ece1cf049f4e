"""Idle and absolute timeouts; 'Where you are signed in' lists and ends one's own sessions."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from videocontact.accounts.models import User
from videocontact.privacy.models import AuditEvent
from videocontact.signin import sessions
from videocontact.signin.models import StaffSession

PASSWORD = "a-long-test-password"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def staff(caseworker: User) -> User:
    caseworker.set_password(PASSWORD)
    caseworker.save()
    return caseworker


def _sign_in(user: User, *, agent: str, address: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def _age(client: Client, **seconds_ago: float) -> None:
    """Move this browser's session stamps into the past."""
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = session[key] - ago
    session.save()


def test_the_session_list_shows_device_network_and_ends_one(staff: User) -> None:
    office = _sign_in(staff, agent=FIREFOX, address="192.0.2.55")
    phone = _sign_in(staff, agent=SAFARI, address="2001:db8:1234:5678::1")
    page = office.get("/accounts/sessions/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Firefox · Windows" in text and "Safari · iPhone" in text
    assert "192.0.2.0/24" in text and "2001:db8:1234::/48" in text
    assert "192.0.2.55" not in text  # never the full address
    assert "deze browser" in text

    phone_row = StaffSession.objects.get(user_agent=SAFARI)
    response = office.post(f"/accounts/sessions/{phone_row.pk}/end/")
    assert response.status_code == 302
    assert phone.get("/staff/")["Location"].startswith("/accounts/login/")
    assert office.get("/staff/").status_code == 200
    event = AuditEvent.objects.get(action="signin.session_ended")
    assert event.actor_user == staff and event.data["own"] is False


def test_end_all_others_keeps_this_one(staff: User) -> None:
    here = _sign_in(staff, agent=FIREFOX, address="192.0.2.1")
    others = [_sign_in(staff, agent=SAFARI, address="192.0.2.2") for _ in range(2)]
    here.post("/accounts/sessions/end-others/")
    assert here.get("/staff/").status_code == 200
    for other in others:
        assert other.get("/staff/").status_code == 302
    assert StaffSession.objects.filter(user=staff).count() == 1
    assert AuditEvent.objects.get(action="signin.sessions_ended_others").data["count"] == 2


def test_one_cannot_end_someone_elses_session(staff: User, colleague: User) -> None:
    colleague.set_password(PASSWORD)
    colleague.save()
    theirs = _sign_in(colleague, agent=FIREFOX, address="192.0.2.9")
    mine = _sign_in(staff, agent=FIREFOX, address="192.0.2.8")
    their_row = StaffSession.objects.get(user=colleague)
    mine.post(f"/accounts/sessions/{their_row.pk}/end/")
    assert theirs.get("/staff/").status_code == 200
    assert StaffSession.objects.filter(pk=their_row.pk).exists()


def test_idle_timeout_signs_out(staff: User, settings: Any) -> None:
    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60
    client = _sign_in(staff, agent=FIREFOX, address="192.0.2.1")
    _age(client, signin_seen=29 * 60)
    assert client.get("/staff/").status_code == 200  # activity in time keeps it alive
    _age(client, signin_seen=31 * 60)
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not StaffSession.objects.filter(user=staff).exists()
    event = AuditEvent.objects.get(action="signin.session_timed_out")
    assert event.data["reason"] == "idle"
    page = client.get(response["Location"])
    assert "verlopen" in page.content.decode()  # says why


def test_absolute_timeout_signs_out_even_when_active(staff: User, settings: Any) -> None:
    settings.STAFF_SESSION_ABSOLUTE_SECONDS = 8 * 3600
    client = _sign_in(staff, agent=FIREFOX, address="192.0.2.1")
    _age(client, signin_started=8 * 3600 + 5)
    assert client.get("/staff/").status_code == 302
    assert AuditEvent.objects.get(action="signin.session_timed_out").data["reason"] == "absolute"


def test_signing_out_removes_the_record(staff: User) -> None:
    client = _sign_in(staff, agent=FIREFOX, address="192.0.2.1")
    assert StaffSession.objects.filter(user=staff).count() == 1
    client.post("/accounts/logout/")
    assert not StaffSession.objects.filter(user=staff).exists()
    assert AuditEvent.objects.get(action="signin.signed_out").actor_user == staff


def test_ending_this_session_from_the_list_signs_out_here(staff: User) -> None:
    client = _sign_in(staff, agent=FIREFOX, address="192.0.2.1")
    _age(client, signin_seen=120)  # this request also refreshes 'last seen' (a session write)
    mine = StaffSession.objects.get(user=staff)
    response = client.post(f"/accounts/sessions/{mine.pk}/end/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/staff/").status_code == 302
    assert not Session.objects.exists()


def test_a_session_made_elsewhere_is_listed_on_first_use(staff: User) -> None:
    """Sessions made without the sign-in page (tests, force_login) get their record lazily."""
    client = Client()
    client.force_login(staff)
    client.get("/staff/")
    assert StaffSession.objects.filter(user=staff).count() == 1
    assert Session.objects.count() == 1


def test_ip_prefix() -> None:
    assert sessions.ip_prefix("10.1.2.3") == "10.1.2.0/24"
    assert sessions.ip_prefix("::1") == "::/48"
    assert sessions.ip_prefix("not an ip") == ""


def test_the_activity_ping_keeps_an_active_page_signed_in(staff: User, settings: Any) -> None:
    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60
    client = _sign_in(staff, agent=FIREFOX, address="192.0.2.1")
    page = client.get("/staff/").content.decode()
    assert 'data-activity-url="/accounts/active"' in page
    for _ in range(3):  # an hour and a half of pings every 25 minutes
        _age(client, signin_seen=25 * 60)
        assert client.get("/accounts/active").status_code == 204
    assert client.get("/staff/").status_code == 200
    assert Client().get("/accounts/active").status_code == 401


@pytest.mark.django_db(transaction=True)
async def test_a_timed_out_session_cannot_open_a_call(
    caseworker: User, settings: Any, visit: Any
) -> None:
    """The room socket honours the same timeouts (it never passes the HTTP middleware)."""
    from asgiref.sync import sync_to_async

    from tests.ws import RoomClient

    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60

    def stale_session() -> str:
        from importlib import import_module

        client = Client()
        client.force_login(caseworker)
        key = client.cookies["vc_session"].value
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
        store[sessions.STARTED_KEY] = store[sessions.SEEN_KEY] = time.time() - 31 * 60
        store.save()
        return key

    key = await sync_to_async(stale_session)()
    room = RoomClient(visit.id, key)
    try:
        assert await room.connect()
        await room.expect_error("unauthorized")
        await room.expect_closed(4401)
    finally:
        await room.close()


@pytest.mark.django_db(transaction=True)
async def test_ending_a_session_ends_its_open_call(caseworker: User, visit: Any) -> None:
    """'End session' (and signing out) also closes the room socket that browser has open."""
    from asgiref.sync import sync_to_async

    from tests.ws import RoomClient

    def signed_in() -> tuple[str, int]:
        client = Client()
        client.force_login(caseworker)
        client.get("/staff/")  # the session gets its record
        key = client.cookies["vc_session"].value
        return key, StaffSession.objects.get(session_key=key).pk

    key, record_id = await sync_to_async(signed_in)()
    room = RoomClient(visit.id, key)
    try:
        await room.join()
        ended = await sync_to_async(sessions.session_end)(
            user=caseworker, session_id=record_id, current_key="another-browser"
        )
        assert ended == key
        await room.expect_error("unauthorized")
        await room.expect_closed(4401)
    finally:
        await room.close()
