"""DPIA-gated modules: off until an approved DPIA is recorded and the privacy officer switches
them on; every switch is audited; a DPIA that is withdrawn switches its module off."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests import factories
from videocontact.accounts.models import Organisation, Role, Unit, User
from videocontact.privacy.models import AuditEvent, Dpia, DpiaStatus, GatedModule, ModuleSwitch
from videocontact.privacy.modules import ModuleError, module_enabled, module_switch

pytestmark = pytest.mark.django_db

LOCATION = GatedModule.LOCATION_CHECK.value


@pytest.fixture
def officer(unit: Unit) -> User:
    return factories.make_user(unit=unit, role=Role.PRIVACY_OFFICER, username="fg")


def approve(organisation: Organisation, module: str = LOCATION) -> Dpia:
    return Dpia.objects.create(
        organisation=organisation,
        title="Locatiecontrole",
        processing="De browser deelt de locatie met toestemming.",
        module=module,
        status=DpiaStatus.APPROVED,
        document_reference="DPIA-2026-07",
        decided_at=date(2026, 11, 1),
    )


def test_a_module_is_off_by_default(organisation: Organisation) -> None:
    assert not module_enabled(organisation.pk, LOCATION)
    approve(organisation)
    assert not module_enabled(organisation.pk, LOCATION)  # approved, but not switched on


def test_switching_on_needs_an_approved_dpia(organisation: Organisation, officer: User) -> None:
    Dpia.objects.create(
        organisation=organisation, title="x", processing="y", module=LOCATION, status="draft"
    )
    with pytest.raises(ModuleError) as refused:
        module_switch(organisation=organisation, module=LOCATION, enabled=True, by_user=officer)
    assert refused.value.code == "dpia_missing"
    assert not module_enabled(organisation.pk, LOCATION)
    assert not AuditEvent.objects.filter(action__startswith="module.").exists()


def test_a_dpia_of_another_organisation_or_module_does_not_count(
    organisation: Organisation, officer: User
) -> None:
    approve(factories.make_organisation())
    approve(organisation, GatedModule.ID_CHECK.value)
    with pytest.raises(ModuleError):
        module_switch(organisation=organisation, module=LOCATION, enabled=True, by_user=officer)


def test_the_officer_switches_on_and_off_audited(organisation: Organisation, officer: User) -> None:
    dpia = approve(organisation)
    module_switch(organisation=organisation, module=LOCATION, enabled=True, by_user=officer)
    assert module_enabled(organisation.pk, LOCATION)
    assert not module_enabled(organisation.pk, GatedModule.ID_CHECK.value)
    on = AuditEvent.objects.get(action="module.enabled")
    assert on.actor_user == officer
    assert on.data["module"] == LOCATION and on.data["dpia"] == dpia.pk
    assert on.data["dpia_reference"] == "DPIA-2026-07"
    # The same switch again changes nothing and writes nothing.
    module_switch(organisation=organisation, module=LOCATION, enabled=True, by_user=officer)
    assert AuditEvent.objects.filter(action="module.enabled").count() == 1
    module_switch(organisation=organisation, module=LOCATION, enabled=False, by_user=officer)
    assert not module_enabled(organisation.pk, LOCATION)
    assert AuditEvent.objects.get(action="module.disabled").actor_user == officer


def test_only_the_officer_of_that_organisation_switches(
    organisation: Organisation, unit: Unit
) -> None:
    approve(organisation)
    admin = factories.make_user(unit=unit, role=Role.FUNCTIONAL_ADMIN)
    foreign_officer = factories.make_user(unit=factories.make_unit(), role=Role.PRIVACY_OFFICER)
    for user in (admin, foreign_officer):
        with pytest.raises(ModuleError) as refused:
            module_switch(organisation=organisation, module=LOCATION, enabled=True, by_user=user)
        assert refused.value.status == 403
    assert not module_enabled(organisation.pk, LOCATION)


def test_withdrawing_the_dpia_switches_the_module_off(
    organisation: Organisation, officer: User
) -> None:
    dpia = approve(organisation)
    module_switch(organisation=organisation, module=LOCATION, enabled=True, by_user=officer)
    dpia.status = DpiaStatus.WITHDRAWN
    dpia.save()
    assert not module_enabled(organisation.pk, LOCATION)
    assert not ModuleSwitch.objects.get(organisation=organisation, module=LOCATION).enabled
    off = AuditEvent.objects.get(action="module.disabled")
    assert off.data["reason"] == "dpia_withdrawn"
    # Approving it again does not switch it back on by itself.
    dpia.status = DpiaStatus.APPROVED
    dpia.save()
    assert not module_enabled(organisation.pk, LOCATION)


def test_the_officer_page_lists_and_switches(organisation: Organisation, officer: User) -> None:
    client = Client()
    client.force_login(officer)
    page = client.get("/staff/privacy/modules")
    assert page.status_code == 200
    assert "Geen goedgekeurde DPIA" in page.content.decode() or "No approved DPIA" in (
        page.content.decode()
    )
    url = f"/staff/privacy/modules/{organisation.pk}/{LOCATION}"
    refused = client.post(url, {"enabled": "on"})
    assert refused.status_code == 302
    assert not module_enabled(organisation.pk, LOCATION)
    approve(organisation)
    assert client.post(url, {"enabled": "on"}).status_code == 302
    assert module_enabled(organisation.pk, LOCATION)
    assert client.post(url, {"enabled": "off"}).status_code == 302
    assert not module_enabled(organisation.pk, LOCATION)
    assert client.post(f"/staff/privacy/modules/{organisation.pk}/nope", {}).status_code == 404


def test_nobody_else_sees_the_page(organisation: Organisation, unit: Unit) -> None:
    approve(organisation)
    for role in (Role.CASEWORKER, Role.FUNCTIONAL_ADMIN, Role.TEAM_LEAD):
        client = Client()
        client.force_login(factories.make_user(unit=unit, role=role))
        assert client.get("/staff/privacy/modules").status_code == 404
        url = f"/staff/privacy/modules/{organisation.pk}/{LOCATION}"
        assert client.post(url, {"enabled": "on"}).status_code == 404
    foreign = Client()
    foreign.force_login(factories.make_user(unit=factories.make_unit(), role=Role.PRIVACY_OFFICER))
    assert foreign.post(url, {"enabled": "on"}).status_code == 404
    assert not module_enabled(organisation.pk, LOCATION)
