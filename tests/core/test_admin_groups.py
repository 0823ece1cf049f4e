"""The admin index is grouped by task, in Dutch, with Dutch model names."""

from __future__ import annotations

import pytest
from django.test import Client

from videocontact.accounts.models import User

pytestmark = pytest.mark.django_db


def test_admin_index_grouped_by_task(client: Client) -> None:
    admin = User.objects.create_superuser("beheer", password="x")
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    for group in ["Processen en teams", "Vragenlijsten", "Berichten aan inwoners", "Logboeken"]:
        assert group in html, group
    assert "Processs" not in html and "Processen" in html
    assert html.index("Processen en teams") < html.index("Logboeken")
    # An app's own page still works.
    assert client.get("/admin/accounts/").status_code == 200
    assert client.get("/admin/notifications/message/").status_code == 200
