"""The questionnaire builder, as a functional administrator uses it: start a WMO form from the
shipped example, add and reorder a question, see a validation error at the question, preview it
in Arabic on a phone, publish it, and use the published version in a real call."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.factories import approve_storage
from videocontact.accounts.models import Process
from videocontact.evidence.models import Photo
from videocontact.questionnaires.models import QuestionnaireTemplate
from videocontact.visits.services import visit_create

from .conftest import Invited, VisitSetup
from .helpers import (
    MEDIA_TIMEOUT_MS,
    admit,
    axe_check,
    resident_reaches_waiting_room,
    screenshot,
    wait_remote_videos,
    wait_visible,
)

DESKTOP = {"width": 1440, "height": 900}


def test_build_wmo_preview_in_arabic_publish_and_use_in_a_call(browsers, demo, live_server_url):
    unit = demo.processes["bijstand-aanvraag"].unit
    wmo = Process.objects.create(unit=unit, code="wmo", name="Wmo-gesprek", retention_days=90)
    approve_storage(wmo)  # storage is off until the privacy officer approves it
    admin = browsers.staff(demo.users["beheerder"], label="admin")
    admin.set_viewport_size(DESKTOP)
    admin.goto("/staff/")
    admin.get_by_role("link", name="Vragenlijsten").click()
    admin.wait_for_url("**/staff/questionnaires/")
    axe_check(admin, "questionnaire list")
    admin.get_by_label("Proces").select_option(label=f"Wmo-gesprek · {unit.name}")
    admin.get_by_label("Beginnen met").select_option(label="Gesprek over ondersteuning (Wmo)")
    admin.get_by_role("button", name="Beginnen").click()
    admin.wait_for_url(re.compile(r"/staff/questionnaires/new\?"))
    status = admin.locator("#builder-status")
    expect(status).to_have_text("De vragenlijst is compleet. U kunt hem publiceren.")

    # Add a yes/no question to part 1 and move it up one place.
    part = admin.get_by_role("region", name="Deel 1")
    part.get_by_role("button", name="Vraag toevoegen").click()
    new = part.locator("li.b-question").last
    new.get_by_label("Nederlands").first.fill("Gebruikt u een hulpmiddel, zoals een rollator?")
    new.get_by_label("Soort vraag").select_option(label="Ja of nee")
    new = part.locator("li.b-question").last
    new.get_by_label("Antwoord verplicht").check()
    new.get_by_role("button", name=re.compile("^Omhoog")).click()
    moved = part.locator("li.b-question").nth(2)
    expect(moved.get_by_role("heading")).to_have_text("Vraag 3 · Ja of nee")

    # A question without an Arabic text: the error appears at that question.
    expect(moved.locator(".b-error")).to_have_text(
        "Controleer dit: De tekst ontbreekt in: العربية."
    )
    expect(moved).to_have_class(re.compile("b-invalid"))
    expect(status).to_have_text("Er klopt nog iets niet. Dat staat in het rood.")
    moved.get_by_label("العربية").first.fill("هل تستخدم أداة مساعدة، مثل المشاية؟")
    expect(status).to_have_text("De vragenlijst is compleet. U kunt hem publiceren.")
    expect(moved.locator(".b-error")).to_be_hidden()

    # The preview shows the form as the resident sees it on a phone, here in Arabic.
    admin.get_by_label("Taal van het voorbeeld").select_option("ar")
    phone = admin.frame_locator("#builder-preview")
    sheet = phone.locator("#vc-form")
    expect(sheet).to_have_attribute("dir", "rtl", timeout=10_000)
    expect(sheet.locator("#vc-form-title")).to_have_text("محادثة حول الدعم (Wmo)")
    expect(sheet).to_contain_text("هل تستخدم أداة مساعدة، مثل المشاية؟")
    axe_check(admin, "questionnaire builder")
    screenshot(admin, "staff-questionnaire-builder")

    admin.get_by_role("button", name="Publiceren als nieuwe versie").click()
    expect(status).to_have_text(
        "Versie 1 is gepubliceerd. Nieuwe gesprekken gebruiken deze versie."
    )
    template = QuestionnaireTemplate.objects.get(process=wmo)
    assert template.latest_version().definition["sections"][0]["questions"][2]["type"] == "yes_no"

    # A caseworker of the unit uses it in a call; the resident sees the new question in Arabic.
    caseworker = demo.users["medewerker"]
    visit, issued = visit_create(
        process=wmo, caseworker=caseworker, resident_name="Sara Haddad", resident_language="ar"
    )
    resident_row = visit.participants.get(role="resident")
    setup = VisitSetup(
        visit=visit,
        caseworker=caseworker,
        resident=Invited(resident_row, issued.token, f"{live_server_url}/j/{issued.token}"),
        base_url=live_server_url,
    )
    resident = browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident)
    staff = browsers.staff(caseworker)
    staff.goto(setup.staff_call_path)
    wait_visible(staff, "#vc-call", timeout=MEDIA_TIMEOUT_MS)
    admit(staff, setup.resident.participant)
    wait_remote_videos(resident, 1)
    staff.click("#vc-form-start")
    form = resident.locator("#vc-form")
    form.wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    expect(form).to_contain_text("هل تستخدم أداة مساعدة، مثل المشاية؟")

    # A photo question: the resident says the stairs are hard, the caseworker takes the photo
    # into that question from the questionnaire panel.
    resident.locator('#vc-form [data-question="trap"] input[value="true"]').check()
    take = staff.get_by_role("button", name=re.compile(r"^Foto maken\s*:\s*Laat de trap zien"))
    expect(take).to_be_visible(timeout=MEDIA_TIMEOUT_MS)
    take.click()
    expect(staff.locator("#vc-gallery li.gallery__item")).to_have_count(1, timeout=MEDIA_TIMEOUT_MS)
    photo = Photo.objects.get(visit=visit)
    assert photo.question_id == "foto_trap"
    screenshot(staff, "caseworker-photo-question")
