"""The state a client sees, through a visit's whole life, and one webhook per change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import factories
from tests.api.conftest import make_api_client
from videocontact.accounts.models import Organisation, Process, Unit, User
from videocontact.api.clients import webhook_save
from videocontact.api.models import WebhookDelivery, WebhookEndpoint
from videocontact.api.selectors import visit_state
from videocontact.dossier.models import Export, ExportState, ExportTarget
from videocontact.reports.models import Report
from videocontact.visits import services as visits

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _own_evidence_dir(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def hooked(organisation: Organisation, unit: Unit) -> None:
    client, _ = make_api_client(organisation=organisation, units=[unit])
    webhook_save(
        endpoint=WebhookEndpoint(client=client, url="https://zaken.example.nl/h"),
        new_secret=True,
        by_user=None,
    )


def _announced(visit_id: Any) -> list[str]:
    deliveries = WebhookDelivery.objects.filter(visit_id=visit_id).order_by("created_at")
    return [d.payload["data"]["state"] for d in deliveries]


def test_a_visit_from_planned_to_filed(hooked: None, process: Process, caseworker: User) -> None:
    visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    resident = factories.resident_of(visit)
    assert visit_state(visit.id) == "planned"
    visits.consent_record(participant=resident, accepted=False, language="nl")
    assert visit_state(visit.id) == "declined"
    visits.consent_record(participant=resident, accepted=True, language="nl")
    visits.participant_enter_room(participant=resident, is_staff=False)
    assert visit_state(visit.id) == "waiting"
    staff = visits.staff_participant_get_or_create(visit=visit, user=caseworker)
    visits.participant_enter_room(participant=staff, is_staff=True)
    visits.participant_admit(participant=resident, by_user=caseworker)
    assert visit_state(visit.id) == "in_call"
    visits.visit_end(visit=visit, by_user=caseworker)
    assert visit_state(visit.id) == "ended"
    report = Report.objects.get(visit=visit)
    target = ExportTarget.objects.create(process=process, kind="download", name="Download")
    Export.objects.create(visit=visit, report=report, target=target, state=ExportState.SENT)
    assert visit_state(visit.id) == "filed"
    assert _announced(visit.id) == [
        "planned",
        "declined",
        "planned",
        "waiting",
        "in_call",
        "ended",
        "filed",
    ]


def test_no_show_and_cancelled(hooked: None, process: Process, caseworker: User) -> None:
    alone, _ = factories.make_visit(process=process, caseworker=caseworker)
    staff = visits.staff_participant_get_or_create(visit=alone, user=caseworker)
    visits.participant_enter_room(participant=staff, is_staff=True)
    visits.visit_end(visit=alone, by_user=caseworker)
    assert visit_state(alone.id) == "no_show"
    assert _announced(alone.id) == ["planned", "in_call", "no_show"]
    cancelled, _ = factories.make_visit(process=process, caseworker=caseworker)
    visits.visit_cancel(visit=cancelled, by_user=caseworker)
    assert _announced(cancelled.id) == ["planned", "cancelled"]
