"""A case-management system plans a visit with the Python client (clients/python), a resident
follows the link in Chromium and talks with the caseworker, the caseworker ends the call, and
the client fetches the sealed report over HTTP. Also: the API reference page under the CSP."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import Any

from ovc_client import Client
from playwright.sync_api import expect

from tests.reports.conftest import pdfsig

from .conftest import Invited
from .helpers import (
    MEDIA_TIMEOUT_MS,
    admit,
    off_loop,
    page_text,
    resident_reaches_waiting_room,
    screenshot,
    wait_in_call,
    wait_remote_videos,
)


def _api_client(demo: Any) -> tuple[str, int]:
    from tests.api.conftest import make_api_client

    process = demo.processes["bijstand-aanvraag"]
    _, secret = make_api_client(
        organisation=demo.organisation, units=[process.unit], client_id="zaaksysteem-e2e"
    )
    return secret, process.id


def _wait_for(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.25)


def _resident_of(visit_id: str) -> Any:
    from videocontact.visits.models import Participant

    return Participant.objects.get(visit_id=visit_id, role="resident")


def test_client_plans_resident_joins_client_fetches_sealed_report(
    browsers: Any, demo: Any, live_server_url: str, settings: Any, tmp_path: Path
) -> None:
    settings.PUBLIC_BASE_URL = live_server_url  # the links in the API's answer
    secret, process_id = off_loop(_api_client, demo)
    api = Client(live_server_url, token=secret)

    planned = api.plan_visit(
        process=process_id,
        caseworker="medewerker",
        resident_name="Jan de Boer",
        language="nl",
        case_reference="Z-2026-E2E",
    )
    visit_id = planned["visit"]["id"]
    assert planned["visit"]["state"] == "planned"
    link = next(x["url"] for x in planned["links"] if x["role"] == "resident")
    assert link.startswith(f"{live_server_url}/j/")

    resident_participant = off_loop(_resident_of, visit_id)
    invited = Invited(resident_participant, link.rsplit("/", 1)[1], link)
    resident = browsers.resident()
    resident_reaches_waiting_room(resident, invited)
    assert api.visit(visit_id)["state"] == "waiting"

    caseworker = demo.users["medewerker"]
    staff = browsers.staff(caseworker)
    staff.goto(f"/staff/visits/{visit_id}/call")
    wait_in_call(staff)
    admit(staff, resident_participant)
    wait_in_call(resident)
    wait_remote_videos(staff, 1)
    assert api.visit(visit_id)["state"] == "in_call"

    staff.on("dialog", lambda dialog: dialog.accept())
    staff.get_by_role("button", name=page_text(staff, "End for everyone"), exact=True).click()
    _wait_for(lambda: api.visit(visit_id)["state"] in ("ended", "filed"))

    pdf = api.sealed_report(visit_id, wait=90)
    assert pdf.startswith(b"%PDF")
    assert "Signature #1" in pdfsig(pdf, tmp_path)
    report = api.reports(visit_id)[0]
    assert hashlib.sha256(pdf).hexdigest() == report["sha256"]
    assert report["sealed"] is True
    assert api.visit(visit_id)["state"] in ("ended", "filed")


def test_reference_page_renders_under_the_csp(browsers: Any, live_server_url: str) -> None:
    page = browsers.resident("reference")
    page.set_viewport_size({"width": 1280, "height": 900})
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(f"{live_server_url}/api/v1/docs")
    expect(page.get_by_role("heading", name=re.compile("Open Videocontact API"))).to_be_visible(
        timeout=MEDIA_TIMEOUT_MS
    )
    expect(page.get_by_text("/api/v1/visits", exact=True).first).to_be_visible()
    assert violations == []
    screenshot(page, "api-reference")


def test_functional_admin_creates_an_api_client(
    browsers: Any, demo: Any, live_server_url: str
) -> None:
    """The admin form in a real browser: the credential is shown once, and it works."""
    admin = browsers.staff(demo.users["beheerder"], "admin")
    admin.set_viewport_size({"width": 1280, "height": 900})
    admin.goto("/admin/api/apiclient/add/")
    admin.get_by_label(re.compile(r"^Organisatie")).select_option(label=demo.organisation.name)
    admin.get_by_label(re.compile(r"^Naam")).fill("Zaaksysteem Sociaal Domein")
    admin.get_by_label(re.compile(r"^Client-id")).fill("zaaksysteem-sd")
    admin.get_by_label("Gesprekken plannen, wijzigen en afzeggen").check()
    admin.get_by_label("Resultaten lezen: antwoorden, foto's, verslagen, archivering").check()
    unit = demo.processes["bijstand-aanvraag"].unit
    # Django's two-list widget: pick the team from the available ones and move it across.
    admin.get_by_role("listbox", name=re.compile(r"^Beschikbare teams")).select_option(
        value=str(unit.pk)
    )
    admin.get_by_role(
        "button", name=re.compile(r"^(Choose selected|Kies geselecteerde) teams$")
    ).click()
    admin.get_by_role("button", name="Opslaan", exact=True).click()
    message = admin.get_by_role("listitem").filter(has_text="kopieer het nu")
    expect(message).to_contain_text("kopieer het nu")
    credential = re.search(r"ovc\.zaaksysteem-sd\.[A-Za-z0-9_-]+", message.inner_text())
    assert credential is not None
    screenshot(admin, "api-admin-client-created")
    api = Client(live_server_url, token=credential.group(0))
    assert [p["id"] for p in api.processes()] == [demo.processes["bijstand-aanvraag"].id]
