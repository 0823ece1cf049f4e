"""Signing in and out, and every admin save, are in the (chained) audit trail."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from videocontact.accounts.models import Organisation, User
from videocontact.privacy.chain import verify
from videocontact.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_sign_in_and_out_are_audited(caseworker: User) -> None:
    caseworker.set_password("a-long-password-1")
    caseworker.save()
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": caseworker.username, "password": "a-long-password-1"}
    )
    assert response.status_code == 302
    signed_in = AuditEvent.objects.get(action="auth.signed_in")
    assert signed_in.actor_user == caseworker
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action="auth.signed_out", actor_user=caseworker).exists()
    assert verify()[1] is None


def test_an_admin_save_is_audited_without_the_values(organisation: Organisation) -> None:
    admin = factories.make_user(username="beheer", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    url = f"/admin/accounts/organisation/{organisation.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["contact_phone"] = "020 123 45 67"
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action="admin.changed")
    assert event.actor_user == admin
    assert event.data["model"] == "accounts.organisation"
    assert event.data["object_id"] == str(organisation.pk)
    assert "contact_phone" in event.data["change"] or "phone" in event.data["change"].lower()
    assert "020 123" not in str(event.data)
