from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests import factories
from videocontact.accounts.models import Process, Role, Unit, User
from videocontact.accounts.selectors import (
    processes_for_user,
    units_for_user,
    user_can_manage_unit,
)

pytestmark = pytest.mark.django_db


def test_units_for_user_counts_caseworkers_and_team_leads(unit: Unit, caseworker: User) -> None:
    lead = factories.make_user(unit=unit, role=Role.TEAM_LEAD)
    officer = factories.make_user(unit=unit, role=Role.PRIVACY_OFFICER)
    admin = factories.make_user(unit=unit, role=Role.FUNCTIONAL_ADMIN)
    assert list(units_for_user(caseworker)) == [unit]
    assert list(units_for_user(lead)) == [unit]
    assert list(units_for_user(officer)) == []
    assert list(units_for_user(admin)) == []


def test_units_for_user_has_no_duplicates(unit: Unit, caseworker: User) -> None:
    from videocontact.accounts.models import Membership

    Membership.objects.create(user=caseworker, unit=unit, role=Role.TEAM_LEAD)
    assert list(units_for_user(caseworker)) == [unit]


def test_processes_for_user_only_as_caseworker(
    unit: Unit, process: Process, caseworker: User
) -> None:
    second = factories.make_process(unit=unit, name="Heronderzoek")
    lead = factories.make_user(unit=unit, role=Role.TEAM_LEAD)
    assert set(processes_for_user(caseworker)) == {process, second}
    assert list(processes_for_user(lead)) == []


def test_user_can_manage_unit(unit: Unit, caseworker: User, outsider: User) -> None:
    assert user_can_manage_unit(caseworker, unit)
    assert not user_can_manage_unit(outsider, unit)
    assert not user_can_manage_unit(AnonymousUser(), unit)  # type: ignore[arg-type]
    caseworker.is_active = False
    assert not user_can_manage_unit(caseworker, unit)
