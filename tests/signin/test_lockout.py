"""Throttling of staff sign-in (django-axes): brute force is refused, audited, and lifted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests import factories
from videocontact.accounts.models import User
from videocontact.privacy.models import AuditEvent

PASSWORD = "a-long-test-password"


@pytest.fixture
def staff(caseworker: User) -> User:
    caseworker.set_password(PASSWORD)
    caseworker.save()
    return caseworker


def _try(client: Client, path: str, username: str, password: str) -> Any:
    return client.post(path, {"username": username, "password": password})


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_forty_wrong_passwords_then_the_right_one_does_not_let_in(
    client: Client, staff: User, path: str
) -> None:
    for _ in range(40):
        response = _try(client, path, staff.username, "wrong-password-guess")
        assert response.status_code in (200, 429)
    response = _try(client, path, staff.username, PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Inloggen tijdelijk geblokkeerd" in text  # Dutch first, with what to do
    assert "functioneel beheerder" in text
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/")["Location"].startswith("/accounts/login/")
    # One audit event for the moment the lock started, not one per refused try.
    events = AuditEvent.objects.filter(action="signin.locked_out")
    assert events.count() == 1
    event = events.get()
    assert event.object_id == str(staff.pk) and event.data["failures"] == 10
    assert event.data["ip_prefix"] == "127.0.0.0/24"


def test_a_stranger_cannot_lock_out_a_colleague_by_username_only_from_elsewhere(
    staff: User, settings: Any
) -> None:
    """Locking by username OR address: the attacker's address is locked as well, so guessing
    other usernames from it is refused too (password spraying)."""
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(10):
        _try(attacker, "/accounts/login/", f"guess{n}", "wrong-password-guess")
    assert _try(attacker, "/accounts/login/", staff.username, PASSWORD).status_code == 429


def test_the_lockout_expires(client: Client, staff: User, settings: Any) -> None:
    for _ in range(12):
        _try(client, "/accounts/login/", staff.username, "wrong-password-guess")
    assert _try(client, "/accounts/login/", staff.username, PASSWORD).status_code == 429
    from axes.models import AccessAttempt

    # Let the cool-off pass (the attempts are as old as the cool-off time).
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16)
    )
    response = _try(client, "/accounts/login/", staff.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_an_administrator_lifts_the_lockout(client: Client, staff: User) -> None:
    for _ in range(12):
        _try(client, "/accounts/login/", staff.username, "wrong-password-guess")
    assert _try(client, "/accounts/login/", staff.username, PASSWORD).status_code == 429

    admin_user = factories.make_user(role=None, is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(admin_user)
    from axes.models import AccessAttempt

    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "lift_lockout", "_selected_action": ids},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="signin.lockout_reset")
    assert event.actor_user == admin_user and event.data["username"] == staff.username

    assert _try(client, "/accounts/login/", staff.username, PASSWORD).status_code == 302


def test_the_reset_command_also_lifts_it(client: Client, staff: User) -> None:
    for _ in range(12):
        _try(client, "/accounts/login/", staff.username, "wrong-password-guess")
    call_command("axes_reset_username", staff.username)
    assert _try(client, "/accounts/login/", staff.username, PASSWORD).status_code == 302


def test_a_successful_sign_in_is_audited_with_its_method(client: Client, staff: User) -> None:
    assert _try(client, "/accounts/login/", staff.username, PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="signin.succeeded")
    assert event.actor_user == staff and event.data["method"] == "password"
