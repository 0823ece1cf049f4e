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
    resident_reaches_waiting_room,
    screenshot,
    wait_remote_videos,
    wait_visible,
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
    return staff.locator(f'#vc-form-staff-view [data-question="{question}"] dd')


def test_resident_fills_in_arabic_signs_and_the_hash_matches(browsers, make_visit, demo):
    use_test_template(demo.processes["bijstand-aanvraag"])
    setup = make_visit(resident_name="Sara Haddad", resident_language="ar")

    resident = browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident)
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_visible(staff, "#vc-call", timeout=MEDIA_TIMEOUT_MS)
    admit(staff, setup.resident.participant)
    wait_remote_videos(resident, 1)

    staff.click("#vc-form-start")
    form = resident.locator("#vc-form")
    form.wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    expect(form).to_have_attribute("dir", "rtl")
    assert resident.evaluate("() => window.vcDebug.form.state().language") == "ar"

    # Each answer appears on the caseworker's screen as it is given.
    resident.locator('#vc-form [data-question="naam"] input').fill("سارة حداد")
    expect(staff_answer(staff, "naam")).to_have_text("سارة حداد")
    resident.locator('#vc-form [data-question="samen"] input[value="true"]').check()
    expect(staff_answer(staff, "samen")).not_to_have_text("")
    dependent = resident.locator('#vc-form [data-question="wie"] input')
    dependent.wait_for(state="visible")
    dependent.fill("أحمد")
    expect(staff_answer(staff, "wie")).to_have_text("أحمد")
    resident.locator('#vc-form [data-question="kamers"] input').fill("3")
    expect(staff_answer(staff, "kamers")).to_have_text("3")

    # Nothing is lost: after a reload the resident is back in the call with the same answers.
    resident.reload()
    resident.locator("#vc-form").wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    expect(resident.locator('#vc-form [data-question="naam"] input')).to_have_value("سارة حداد")
    expect(resident.locator('#vc-form [data-question="wie"] input')).to_have_value("أحمد")
    expect(resident.locator('#vc-form [data-question="samen"] input[value="true"]')).to_be_checked()
    axe_check(resident, "questionnaire in Arabic")
    screenshot(resident, "resident-5-questionnaire-ar")

    # Review, then sign with a finger-like stroke on the pad.
    resident.locator("#vc-form .form-sheet__actions .button--primary").first.click()
    resident.locator('.form-view[data-view="review"] .button--primary').click()
    pad = resident.locator(".form-pad__canvas")
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
    resident.locator('.form-view[data-view="sign"] .form-sheet__actions .button--primary').click()

    shown = staff.locator("#vc-form-staff-view code.form-hash--full")
    expect(shown).to_have_text(re.compile(r"^[0-9a-f]{64}$"), timeout=MEDIA_TIMEOUT_MS)
    screenshot(resident, "resident-6-signed")
    screenshot(staff, "caseworker-questionnaire-signed")

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
    expect(resident.locator('#vc-form [data-question="naam"] input')).to_be_disabled()
