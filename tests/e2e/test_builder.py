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
    call_string,
    page_text,
    resident_reaches_waiting_room,
    screenshot,
    wait_in_call,
    wait_remote_videos,
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
    status = admin.get_by_role("status", name="Controle van de vragenlijst")
    expect(status).to_have_text("De vragenlijst is compleet. U kunt hem publiceren.")

    # Add a yes/no question to part 1 and move it up one place.
    part = admin.get_by_role("region", name="Deel 1")
    part.get_by_role("button", name="Vraag toevoegen").click()
    # The part's questions: its list items headed "Vraag N · …" (not the answer options).
    questions = part.get_by_role("listitem").filter(
        has=admin.get_by_role("heading", name=re.compile(r"^Vraag \d+"))
    )
    new = questions.last
    new.get_by_label("Nederlands").first.fill("Gebruikt u een hulpmiddel, zoals een rollator?")
    new.get_by_label("Soort vraag").select_option(label="Ja of nee")
    new = questions.last
    new.get_by_label("Antwoord verplicht").check()
    new.get_by_role("button", name=re.compile("^Omhoog")).click()
    moved = questions.nth(2)
    expect(moved.get_by_role("heading")).to_have_text("Vraag 3 · Ja of nee")

    # A question without an Arabic text: the error appears at that question.
    error = moved.get_by_text(re.compile("^Controleer dit:"))
    expect(error).to_have_text("Controleer dit: De tekst ontbreekt in: العربية.")
    expect(moved).to_have_class(re.compile("b-invalid"))
    expect(status).to_have_text("Er klopt nog iets niet. Dat staat in het rood.")
    moved.get_by_label("العربية").first.fill("هل تستخدم أداة مساعدة، مثل المشاية؟")
    expect(status).to_have_text("De vragenlijst is compleet. U kunt hem publiceren.")
    expect(error).to_be_hidden()

    # The preview shows the form as the resident sees it on a phone, here in Arabic.
    admin.get_by_label("Taal van het voorbeeld").select_option("ar")
    preview = page_text(admin, "Preview of the questionnaire as the resident sees it")
    phone = admin.get_by_title(preview).content_frame
    # The sheet is a region named by its title, in Arabic.
    sheet = phone.get_by_role("region", name="محادثة حول الدعم (Wmo)", exact=True)
    expect(sheet).to_have_attribute("dir", "rtl", timeout=10_000)
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
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_remote_videos(resident, 1)
    staff.get_by_role("button", name=call_string(staff, "formStart")).click()
    form = resident.get_by_role("region", name="محادثة حول الدعم (Wmo)", exact=True)
    form.wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    expect(form).to_contain_text("هل تستخدم أداة مساعدة، مثل المشاية؟")

    # A photo question: the resident says the stairs are hard, the caseworker takes the photo
    # into that question from the questionnaire panel.
    stairs = form.get_by_role("group", name="هل في بيتك درج يصعب عليك استخدامه؟")
    stairs.get_by_role("radio", name=call_string(resident, "fw.ar.yes"), exact=True).check()
    take = staff.get_by_role("button", name=re.compile(r"^Foto maken\s*:\s*Laat de trap zien"))
    expect(take).to_be_visible(timeout=MEDIA_TIMEOUT_MS)
    take.click()
    photos = staff.get_by_role("region", name=page_text(staff, "Photos"), exact=True)
    expect(photos.get_by_role("img")).to_have_count(1, timeout=MEDIA_TIMEOUT_MS)
    photo = Photo.objects.get(visit=visit)
    assert photo.question_id == "foto_trap"
    # The gallery says which question the photo answers; its hash waits behind a disclosure.
    item = photos.get_by_role("listitem").filter(has=staff.get_by_role("img"))
    expect(item.get_by_text(re.compile(r"^Bij de vraag: Laat de trap zien"))).to_be_visible()
    expect(item.get_by_text(photo.sha256)).to_be_hidden()
    # The question itself now says its photo was taken (no longer "taken by the caseworker").
    panel_item = take.locator("xpath=ancestor::dd[1]")
    expect(panel_item).to_contain_text(call_string(staff, "formStaffPhotoTaken"))
    expect(panel_item).not_to_contain_text(call_string(staff, "formStaffPhoto"))
    screenshot(staff, "caseworker-photo-question")


def test_unpublished_changes_are_kept_and_leaving_asks_first(browsers, demo):
    unit = demo.processes["bijstand-aanvraag"].unit
    Process.objects.create(unit=unit, code="wmo", name="Wmo-gesprek", retention_days=90)
    admin = browsers.staff(demo.users["beheerder"], label="admin-draft")
    admin.set_viewport_size(DESKTOP)
    admin.goto("/staff/questionnaires/")
    admin.get_by_label("Proces").select_option(label=f"Wmo-gesprek · {unit.name}")
    admin.get_by_label("Beginnen met").select_option(label="Gesprek over ondersteuning (Wmo)")
    admin.get_by_role("button", name="Beginnen").click()
    admin.wait_for_url(re.compile(r"/staff/questionnaires/new\?"))
    expect(admin.get_by_role("status", name="Controle van de vragenlijst")).to_have_text(
        "De vragenlijst is compleet. U kunt hem publiceren."
    )
    dialogs: list[str] = []

    def leave_anyway(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    admin.on("dialog", leave_anyway)
    # Nothing changed yet: leaving does not ask.
    admin.reload()
    assert dialogs == []

    def title():
        return admin.get_by_role("group", name="Titel", exact=True).get_by_label("Nederlands")

    title().click()
    title().fill("Wmo-gesprek (concept van het team)")
    expect(
        admin.get_by_text("Wijzigingen bewaard op deze computer. Ze zijn nog niet gepubliceerd.")
    ).to_be_visible()
    admin.reload()
    assert dialogs == ["beforeunload"]

    # Back on the page: the changes are offered again.
    expect(
        admin.get_by_text(re.compile("^U hebt wijzigingen van .* nog niet zijn gepubliceerd"))
    ).to_be_visible()
    expect(title()).not_to_have_value("Wmo-gesprek (concept van het team)")
    axe_check(admin, "builder with a draft offered")
    screenshot(admin, "staff-questionnaire-builder-draft")
    admin.get_by_role("button", name="Verder met mijn wijzigingen").click()
    expect(title()).to_have_value("Wmo-gesprek (concept van het team)")
    expect(
        admin.get_by_text("Uw wijzigingen staan er weer. Publiceer ze als ze klaar zijn.")
    ).to_be_visible()

    # Published: nothing left to keep, leaving does not ask.
    admin.get_by_role("button", name="Publiceren als nieuwe versie").click()
    expect(admin.get_by_role("status", name="Controle van de vragenlijst")).to_have_text(
        "Versie 1 is gepubliceerd. Nieuwe gesprekken gebruiken deze versie."
    )
    admin.reload()
    assert dialogs == ["beforeunload"]
    expect(admin.get_by_role("button", name="Verder met mijn wijzigingen")).to_have_count(0)

    # Changes thrown away are gone for good.
    title().click()
    title().fill("Nog een wijziging")
    expect(admin.get_by_text("Wijzigingen bewaard op deze computer.", exact=False)).to_be_visible()
    admin.reload()
    admin.get_by_role("button", name="Mijn wijzigingen weggooien").click()
    expect(admin.get_by_text("Uw wijzigingen zijn weggegooid.")).to_be_visible()
    admin.reload()
    expect(admin.get_by_role("button", name="Verder met mijn wijzigingen")).to_have_count(0)
