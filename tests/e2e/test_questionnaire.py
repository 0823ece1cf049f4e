"""The live questionnaire: the resident fills it in (in Arabic), the caseworker watches, the
resident signs, and the hash the caseworker sees is the one the server recomputes."""

from __future__ import annotations

import hashlib
import re

from playwright.sync_api import expect

from videocontact.questionnaires.models import QuestionnaireTemplate, Signature
from videocontact.questionnaires.selectors import answer_values
from videocontact.questionnaires.services import template_import
from videocontact.questionnaires.signing import canonical_payload, signed_answers

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


def text(nl: str, en: str, ar: str) -> dict[str, str]:
    return {"nl": nl, "en": en, "ar": ar}


DEFINITION = {
    "schema_version": 1,
    "code": "e2e-huisbezoek",
    "title": text("Huisbezoek", "Home visit", "زيارة منزلية"),
    "languages": {"nl": "source", "en": "reviewed", "ar": "machine"},
    "sections": [
        {
            "id": "wonen",
            "title": text("Wonen", "Housing", "السكن"),
            "questions": [
                {
                    "id": "naam",
                    "type": "short_text",
                    "required": True,
                    "max_length": 100,
                    "label": text("Uw naam", "Your name", "اسمك"),
                },
                {
                    "id": "samen",
                    "type": "yes_no",
                    "required": True,
                    "label": text(
                        "Woont er nog iemand?",
                        "Does anyone else live here?",
                        "هل يعيش شخص آخر هنا؟",
                    ),
                },
                {
                    "id": "wie",
                    "type": "short_text",
                    "required": True,
                    "max_length": 100,
                    "show_if": {"question": "samen", "equals": True},
                    "label": text("Wie?", "Who?", "من؟"),
                },
                {
                    "id": "kamers",
                    "type": "number",
                    "min": 1,
                    "max": 20,
                    "label": text("Aantal kamers", "Number of rooms", "عدد الغرف"),
                },
                {
                    "id": "akkoord",
                    "type": "signature",
                    "label": text("Ondertekening", "Signature", "التوقيع"),
                },
            ],
        }
    ],
}


def use_test_template(process) -> None:
    QuestionnaireTemplate.objects.filter(process=process).update(is_default=False)
    version = template_import(process=process, data=DEFINITION)
    QuestionnaireTemplate.objects.filter(pk=version.template_id).update(is_default=True)


def staff_answer(staff, question: str):
    """The answer the caseworker sees next to a question (Dutch labels) in the live view: the
    definition that follows the term in the list."""
    view = staff.get_by_role("region", name=page_text(staff, "Questionnaire"), exact=True)
    term = view.get_by_role("term").filter(has_text=re.compile(rf"^{re.escape(question)}$"))
    return term.locator("xpath=following-sibling::dd[1]")


def test_resident_fills_in_arabic_signs_and_the_hash_matches(browsers, make_visit, demo):
    use_test_template(demo.processes["bijstand-aanvraag"])
    setup = make_visit(resident_name="Sara Haddad", resident_language="ar")

    resident = browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident)
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_remote_videos(resident, 1)

    staff.get_by_role("button", name=call_string(staff, "formStart")).click()
    form = resident.get_by_role("region", name="زيارة منزلية")
    form.wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    expect(form).to_have_attribute("dir", "rtl")
    language = form.get_by_label(call_string(resident, "formLanguage"))
    expect(language).to_have_value("ar")

    def name_box():
        return form.get_by_role("textbox", name="اسمك")

    others = form.get_by_role("group", name="هل يعيش شخص آخر هنا؟")
    yes = others.get_by_role("radio", name=call_string(resident, "fw.ar.yes"), exact=True)
    who = form.get_by_role("textbox", name="من؟")

    # Each answer appears on the caseworker's screen as it is given.
    name_box().fill("سارة حداد")
    expect(staff_answer(staff, "Uw naam")).to_have_text("سارة حداد")
    yes.check()
    expect(staff_answer(staff, "Woont er nog iemand?")).to_have_text("Ja")
    who.wait_for(state="visible")
    who.fill("أحمد")
    expect(staff_answer(staff, "Wie?")).to_have_text("أحمد")
    form.get_by_role("textbox", name="عدد الغرف").fill("3")
    expect(staff_answer(staff, "Aantal kamers")).to_have_text("3")

    # Nothing is lost: after a reload the resident is back in the call with the same answers.
    resident.reload()
    form.wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    expect(name_box()).to_have_value("سارة حداد")
    expect(who).to_have_value("أحمد")
    expect(yes).to_be_checked()
    axe_check(resident, "questionnaire in Arabic")
    screenshot(resident, "resident-5-questionnaire-ar")

    # Review, then sign with a finger-like stroke on the pad.
    form.get_by_role("button", name=call_string(resident, "formReview"), exact=True).click()
    form.get_by_role("button", name=call_string(resident, "formToSign"), exact=True).click()
    pad = form.get_by_role("img", name=call_string(resident, "formSignBox"))
    pad.wait_for(state="visible")
    box = pad.bounding_box()
    assert box is not None
    resident.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    resident.mouse.down()
    for step in range(1, 12):
        resident.mouse.move(
            box["x"] + 20 + step * 20, box["y"] + box["height"] / 2 + (-1) ** step * 15
        )
    resident.mouse.up()
    form.get_by_role("button", name=call_string(resident, "formSign"), exact=True).click()

    view = staff.get_by_role("region", name=page_text(staff, "Questionnaire"), exact=True)
    # The caseworker sees when it was signed; the hex digest waits behind a disclosure.
    signed_line = call_string(staff, "formStaffSigned").split("{time}")[0]
    expect(view.get_by_role("paragraph").filter(has_text=signed_line)).to_be_visible(
        timeout=MEDIA_TIMEOUT_MS
    )
    shown = view.get_by_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(shown).to_be_hidden()
    screenshot(resident, "resident-6-signed")
    screenshot(staff, "caseworker-questionnaire-signed")
    view.get_by_text(call_string(staff, "formStaffHash"), exact=True).click()
    expect(shown).to_be_visible()

    signature = Signature.objects.select_related("questionnaire__version__template").get(
        questionnaire__visit=setup.visit
    )
    questionnaire = signature.questionnaire
    recomputed = canonical_payload(
        visit_id=str(setup.visit.id),
        template_code=questionnaire.version.template.code,
        version=questionnaire.version.number,
        answers=signed_answers(questionnaire.version.definition, answer_values(questionnaire)),
        signed_at=signature.signed_at,
    )
    digest = hashlib.sha256(recomputed.encode()).hexdigest()
    assert digest == signature.sha256 == shown.text_content()
    assert answer_values(questionnaire) == {
        "naam": "سارة حداد",
        "samen": True,
        "wie": "أحمد",
        "kamers": 3,
    }
    # After signing the answers are locked on the resident's side.
    expect(name_box()).to_be_disabled()
