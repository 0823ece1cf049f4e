"""The report panel on the caseworker's visit page and the resident's copy on the 'ended' page,
in a real browser: the build runs in the live server's job worker, the download is the sealed
PDF (same SHA-256 as shown), the resident page passes axe. Screenshots at phone size."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import Any

from tests import factories
from tests.reports.conftest import end_visit_with_content

from .helpers import NAV_TIMEOUT_MS, axe_check, off_loop, page_text, screenshot

PHONE = {"width": 390, "height": 844}


def _ended_visit_with_report(demo: Any) -> Any:
    from tests.factories import approve_storage
    from videocontact.accounts.models import Process
    from videocontact.reports.models import ReportSettings
    from videocontact.visits.services import visit_create

    unit = demo.processes["bijstand-aanvraag"].unit
    process = Process.objects.create(unit=unit, code="e2e-verslag", name="Huisbezoek bijstand")
    approve_storage(process)  # storage is off until the privacy officer approves it
    ReportSettings.objects.create(process=process, resident_copy=True, include_notes=False)
    visit, _ = visit_create(
        process=process,
        caseworker=demo.users["medewerker"],
        resident_name="Amina Haddad",
        resident_language="ar",
    )
    return end_visit_with_content(visit, demo.users["medewerker"])


def _locked_retry(fn: Any, *args: Any, attempts: int = 20) -> Any:
    """Run `fn` in one transaction, again if SQLite's shared in-memory test database says a
    table is locked (the live server's job worker polls it every 0.2 s from another thread;
    shared-cache locks are not waited for). The rollback makes a retry safe."""
    from django.db import OperationalError, transaction

    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return fn(*args)
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")


def _report_panel(page: Any) -> Any:
    return page.get_by_role("region", name=page_text(page, "Report"), exact=True)


def _wait_for_state(page: Any, state: str) -> None:
    """While the report is being made, the panel refreshes itself: no reload here. A failed
    report is an alert; a ready one says so."""
    panel = _report_panel(page)
    shown = (
        panel.get_by_role("alert")
        if state == "failed"
        else panel.get_by_text(re.compile(r"^Verslag \d+ is klaar en verzegeld\.$"))
    )
    shown.wait_for(state="visible", timeout=NAV_TIMEOUT_MS * 3)


def test_report_panel_download_and_resident_copy(
    browsers: Any, demo: Any, live_server_url: str, tmp_path: Path
) -> None:
    from django.conf import settings as django_settings

    from videocontact.reports.demo import ensure_demo_seal
    from videocontact.reports.models import Report, SealCertificate

    # Without a seal certificate the build fails, visibly; after the import a retry works.
    off_loop(
        _locked_retry,
        lambda: SealCertificate.objects.filter(organisation=demo.organisation).delete(),
    )
    scenario = off_loop(_locked_retry, _ended_visit_with_report, demo)
    visit = scenario.visit

    staff = browsers.staff(demo.users["medewerker"], "caseworker")
    staff.set_viewport_size(PHONE)
    staff.goto(f"{live_server_url}/staff/visits/{visit.id}/")
    _wait_for_state(staff, "failed")
    panel = _report_panel(staff)
    assert "geen zegelcertificaat" in panel.inner_text()
    panel.scroll_into_view_if_needed()
    screenshot(staff, "caseworker-report-failed")

    off_loop(_locked_retry, ensure_demo_seal, demo.organisation)
    staff.get_by_role("button", name="Opnieuw proberen").click()
    _wait_for_state(staff, "ready")
    assert "Verslag 1 is klaar en verzegeld." in panel.inner_text()
    report = off_loop(_locked_retry, lambda: Report.objects.get(visit=visit))
    # The hash is in the report and behind "Technische gegevens", not on the screen at once.
    assert report.sha256 not in panel.inner_text()
    panel.get_by_text("Technische gegevens").click()
    assert report.sha256 in panel.inner_text()
    panel.scroll_into_view_if_needed()
    screenshot(staff, "caseworker-report-panel")

    with staff.expect_download() as download_info:
        panel.get_by_role(
            "link", name=page_text(staff, "Download the report (PDF)"), exact=True
        ).click()
    download = download_info.value
    assert re.fullmatch(rf"verslag-{visit.id}-v1\.pdf", download.suggested_filename)
    saved = tmp_path / "verslag.pdf"
    download.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == report.sha256

    resident = browsers.resident("resident")
    session = off_loop(_locked_retry, factories.participant_session, scenario.resident)
    host = re.sub(r"^https?://", "", live_server_url).split(":")[0]
    resident.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": session,
                "domain": host,
                "path": "/",
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    resident.goto(f"{live_server_url}/v/{visit.id}/")
    link = resident.get_by_role("link", name="Download uw verslag")
    assert link.is_visible()
    axe_check(resident, "ended page with the report")
    screenshot(resident, "resident-7-ended-report")
    with resident.expect_download() as resident_download:
        link.click()
    copy = tmp_path / "kopie.pdf"
    resident_download.value.save_as(copy)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == report.sha256

    # The same page in the resident's own language, right to left.
    resident.context.add_cookies(
        [
            {
                "name": django_settings.LANGUAGE_COOKIE_NAME,
                "value": "ar",
                "domain": host,
                "path": "/",
                "sameSite": "Lax",
            }
        ]
    )
    resident.goto(f"{live_server_url}/v/{visit.id}/")
    assert resident.locator("html").get_attribute("dir") == "rtl"
    assert resident.get_by_role("link", name="نزّل تقريرك").is_visible()
    axe_check(resident, "ended page with the report, Arabic")
    screenshot(resident, "resident-7-ended-report-ar")
