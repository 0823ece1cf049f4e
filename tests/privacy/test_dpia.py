"""The DPIA registry: kept by the privacy officer in the admin, each save in the audit trail."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from videocontact.accounts.models import Organisation, Role, Unit
from videocontact.privacy.models import AuditEvent, Dpia

pytestmark = pytest.mark.django_db


def test_the_privacy_officer_records_a_dpia(unit: Unit, organisation: Organisation) -> None:
    officer = factories.make_user(unit=unit, role=Role.PRIVACY_OFFICER, is_staff=True)
    client = Client()
    client.force_login(officer)
    response = client.post(
        "/admin/privacy/dpia/add/",
        {
            "organisation": organisation.pk,
            "title": "Locatiecontrole",
            "processing": "De browser deelt de locatie met toestemming.",
            "module": "location-check",
            "status": "approved",
            "document_reference": "DPIA-2026-01",
            "decided_at": "2026-11-01",
            "review_due": "2027-11-01",
        },
    )
    assert response.status_code == 302, response.content[:1000]
    assert Dpia.objects.get().status == "approved"
    assert AuditEvent.objects.filter(action="admin.added", actor_user=officer).exists()


def test_other_admins_do_not_see_the_registry(unit: Unit, organisation: Organisation) -> None:
    Dpia.objects.create(organisation=organisation, title="x", processing="y")
    admin = factories.make_user(unit=unit, role=Role.FUNCTIONAL_ADMIN, is_staff=True)
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/privacy/dpia/").status_code == 403
    assert client.get("/admin/privacy/legalhold/").status_code == 403
