"""The admin per role and own / foreign organisation (portal.admin_policy): the functional
administrator manages configuration, not evidence; the privacy officer keeps the DPIA registry;
the team lead and the caseworker have nothing to edit; nobody sees another organisation's
objects. A bulk delete writes an audit event per object, as a single delete does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.questionnaires.definitions import full_definition
from videocontact.accounts.models import Organisation, Process, Role, Unit, User
from videocontact.api.models import ApiClient, WebhookEndpoint
from videocontact.checks.models import LocationSettings
from videocontact.dossier.models import ExportTarget
from videocontact.guidance.models import HelpPage
from videocontact.language.models import CaptionSettings
from videocontact.notifications.models import MessageText, MessagingSettings
from videocontact.portal.admin_policy import POLICY, scope
from videocontact.privacy.models import AuditEvent, Dpia
from videocontact.questionnaires.services import template_import
from videocontact.reports.models import Report, ReportSettings
from videocontact.signin.models import GroupRoleMapping, OrganisationSignInPolicy
from videocontact.visits.services import visit_end

pytestmark = pytest.mark.django_db

ROLES = [Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER, Role.TEAM_LEAD, Role.CASEWORKER]
EVIDENCE = [
    "reports.report",
    "dossier.export",
    "privacy.auditevent",
    "jobs.job",
    "questionnaires.questionnaire",
    "questionnaires.answer",
    "evidence.photo",
]


@dataclass
class Tenant:
    organisation: Organisation
    unit: Unit
    process: Process
    users: dict[str, User]


def _tenant() -> Tenant:
    organisation = factories.make_organisation()
    unit = factories.make_unit(organisation=organisation)
    process = factories.make_process(unit=unit)
    users = {role: factories.make_user(unit=unit, role=role, is_staff=True) for role in Role.values}
    template_import(process=process, data=full_definition())
    MessagingSettings.objects.create(process=process)
    MessageText.objects.create(
        process=process, kind="invitation", channel="email", language="nl", body="Hallo"
    )
    ReportSettings.objects.create(process=process)
    CaptionSettings.objects.create(process=process)
    LocationSettings.objects.create(process=process)
    ExportTarget.objects.create(process=process, kind="download", name="Downloaden")
    HelpPage.objects.create(
        title="Hulp", audience="resident", language="nl", organisation=organisation, body="x"
    )
    GroupRoleMapping.objects.create(group=f"g-{unit.pk}", unit=unit, role=Role.CASEWORKER)
    OrganisationSignInPolicy.objects.create(organisation=organisation)
    client = ApiClient.objects.create(
        organisation=organisation, name="Zaaksysteem", client_id=f"zs-{organisation.pk}"
    )
    client.units.add(unit)
    WebhookEndpoint.objects.create(client=client, url="https://zaak.example/hook")
    Dpia.objects.create(organisation=organisation, title="DPIA", processing="videobellen")
    visit, _ = factories.make_visit(process=process, caseworker=users[Role.CASEWORKER])
    visit_end(visit=visit, by_user=users[Role.CASEWORKER])  # a report row and audit events
    return Tenant(organisation, unit, process, users)


@pytest.fixture
def tenants() -> tuple[Tenant, Tenant]:
    return _tenant(), _tenant()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def grants(label: str, role: str) -> bool:
    rule = POLICY.get(label)
    return rule is not None and "view" in rule.roles.get(role, frozenset())


def in_org(obj: Any, organisation: Organisation) -> bool:
    label = obj._meta.label_lower
    rule = POLICY[label]
    return scope(
        type(obj)._default_manager.filter(pk=obj.pk), {organisation.pk}, rule.org_path
    ).exists()


def url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("role", ROLES)
def test_every_changelist_and_change_view_per_role_and_organisation(
    tenants: tuple[Tenant, Tenant], role: str
) -> None:
    own = tenants[0]
    client = signed_in(own.users[role])
    walked = 0
    for model in admin.site._registry:
        label = model._meta.label_lower
        listing = client.get(url(model, "changelist"))
        if not grants(label, role):
            assert listing.status_code == 403, (role, label, listing.status_code)
            for obj in model._default_manager.all()[:3]:
                change = client.get(url(model, "change", obj.pk))
                assert change.status_code in (403, 302), (role, label, change.status_code)
                if change.status_code == 302:  # Django's "does not exist": back to the index
                    assert change["Location"] == reverse("admin:index")
            continue
        assert listing.status_code == 200, (role, label)
        shown = list(listing.context["cl"].queryset)
        assert all(in_org(obj, own.organisation) for obj in shown), (role, label)
        for obj in model._default_manager.all():
            walked += 1
            change = client.get(url(model, "change", obj.pk))
            if in_org(obj, own.organisation):
                assert change.status_code == 200, (role, label, obj)
            else:
                assert change.status_code == 302, (role, label, obj)
                assert change["Location"] == reverse("admin:index")
    if role in (Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER):
        assert walked > 0
    for label in EVIDENCE:
        assert not grants(label, role)


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.CASEWORKER])
def test_team_lead_and_caseworker_have_nothing_in_the_admin(
    tenants: tuple[Tenant, Tenant], role: str
) -> None:
    page = signed_in(tenants[0].users[role]).get("/admin/")
    assert page.status_code == 200
    assert page.context["app_list"] == []


def test_the_functional_admin_sees_no_evidence_and_chooses_only_own_objects(
    tenants: tuple[Tenant, Tenant],
) -> None:
    own, foreign = tenants
    client = signed_in(own.users[Role.FUNCTIONAL_ADMIN])
    index = client.get("/admin/").content.decode()
    assert "/admin/reports/report/" not in index and "/admin/privacy/auditevent/" not in index
    assert "/admin/accounts/process/" in index
    report = Report.objects.filter(visit__process=own.process).first()
    assert report is not None
    assert client.get(url(Report, "change", report.pk)).status_code == 403
    form = client.get(url(ApiClient, "add")).context["adminform"].form
    assert list(form.fields["organisation"].queryset) == [own.organisation]
    assert set(form.fields["units"].queryset) == {own.unit}
    hook = client.get(url(WebhookEndpoint, "add")).context["adminform"].form
    assert {c.organisation_id for c in hook.fields["client"].queryset} == {own.organisation.pk}
    page = client.get(url(HelpPage, "add")).context["adminform"].form
    assert page.fields["organisation"].required
    # A unit in a foreign organisation cannot be made, nor a foreign process changed.
    made = client.post(
        url(Unit, "add"),
        {"organisation": foreign.organisation.pk, "department": "X", "name": "Y"},
    )
    assert made.status_code == 200 and not Unit.objects.filter(name="Y").exists()
    changed = client.post(
        url(Process, "change", foreign.process.pk),
        {"unit": foreign.unit.pk, "code": "x", "name": "Overgenomen", "staff_label": "M"},
    )
    assert changed.status_code == 302
    assert Process.objects.get(pk=foreign.process.pk).name != "Overgenomen"
    # Users: the own organisation's only, and no way to make anyone a superuser.
    users = client.get(url(User, "changelist")).context["cl"].queryset
    assert own.users[Role.CASEWORKER] in users and foreign.users[Role.CASEWORKER] not in users
    edit = client.get(url(User, "change", own.users[Role.CASEWORKER].pk))
    assert "is_superuser" in edit.context["adminform"].readonly_fields


def test_the_questionnaire_json_views_are_scoped_too(tenants: tuple[Tenant, Tenant]) -> None:
    own, foreign = tenants
    client = signed_in(own.users[Role.FUNCTIONAL_ADMIN])
    foreign_version = foreign.process.questionnaire_templates.first().versions.first()
    own_version = own.process.questionnaire_templates.first().versions.first()
    base = "/admin/questionnaires/questionnairetemplate/version/"
    assert client.get(f"{base}{own_version.pk}/export/").status_code == 200
    assert client.get(f"{base}{foreign_version.pk}/export/").status_code == 404
    assert client.get(f"{base}{foreign_version.pk}/edit/").status_code == 404
    form = client.get("/admin/questionnaires/questionnairetemplate/import/").context["form"]
    assert list(form.fields["process"].queryset) == [own.process]
    officer = signed_in(own.users[Role.PRIVACY_OFFICER])
    assert officer.get(f"{base}{own_version.pk}/export/").status_code == 404
    assert officer.get("/admin/questionnaires/questionnairetemplate/import/").status_code == 403


def test_a_bulk_delete_writes_an_audit_event_per_object(tenants: tuple[Tenant, Tenant]) -> None:
    own, foreign = tenants
    second = HelpPage.objects.create(
        title="Hulp 2", audience="resident", language="nl", organisation=own.organisation, body="y"
    )
    pages = list(HelpPage.objects.filter(organisation=own.organisation))
    assert len(pages) == 2
    foreign_page = HelpPage.objects.get(organisation=foreign.organisation)
    client = signed_in(own.users[Role.FUNCTIONAL_ADMIN])
    response = client.post(
        url(HelpPage, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [p.pk for p in pages] + [foreign_page.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not HelpPage.objects.filter(organisation=own.organisation).exists()
    assert HelpPage.objects.filter(pk=foreign_page.pk).exists()  # not in the own queryset
    deleted = AuditEvent.objects.filter(action="admin.deleted", data__model="guidance.helppage")
    assert sorted(e.data["object_id"] for e in deleted) == sorted(str(p.pk) for p in pages)
    assert second.pk in [p.pk for p in pages]


def test_the_operator_still_sees_everything(tenants: tuple[Tenant, Tenant]) -> None:
    operator = factories.make_user(role=None, is_staff=True, is_superuser=True)
    client = signed_in(operator)
    assert client.get(url(Report, "changelist")).status_code == 200
    assert client.get(url(Process, "changelist")).context["cl"].queryset.count() >= 2
