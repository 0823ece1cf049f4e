"""The resident's pages in Farsi, Somali and Tigrinya (machine translations, issue 14): consent,
device check and waiting room in each language, Farsi right to left, Tigrinya in a Ge'ez font;
in Farsi also the call with the questionnaire. Every page passes axe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

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

TEMPLATE = Path(__file__).resolve().parents[2] / (
    "src/videocontact/questionnaires/templates_data/bijstand-aanvraag.json"
)
TITLE = json.loads(TEMPLATE.read_text())["title"]  # the pilot's questionnaire, in every language
BODY_STYLE = """() => {
  const style = getComputedStyle(document.body);
  return {direction: style.direction, font: style.fontFamily};
}"""


@pytest.mark.parametrize(
    ("language", "direction", "name"),
    [("fa", "rtl", "فارسی"), ("so", "ltr", "Soomaali"), ("ti", "ltr", "ትግርኛ")],
)
def test_resident_pages_in_the_new_languages(browsers, make_visit, language, direction, name):
    setup = make_visit(resident_name="Yonas Tesfay", resident_language=language)
    page = browsers.resident()
    resident_reaches_waiting_room(page, setup.resident, check_a11y=True)

    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", direction)
    style = page.evaluate(BODY_STYLE)
    assert style["direction"] == direction
    # The texts really are in the language (not the English msgid), and the switch offers it.
    heading = page.get_by_role("heading", name=page_text(page, "Waiting room"))
    expect(heading).to_be_visible()
    assert page_text(page, "Waiting room") != "Waiting room"
    switch = page.get_by_label(page_text(page, "Language"), exact=True)
    expect(switch).to_have_value(language)
    expect(switch.locator(f'option[value="{language}"]')).to_have_text(name)
    if language == "ti":
        assert style["font"].startswith('"Abyssinica SIL"'), style
        # The Debian font is there, so the Ge'ez letters are drawn, not shown as boxes.
        assert page.evaluate("() => document.fonts.check(\"18px 'Abyssinica SIL'\", 'ሰላም')")
    screenshot(page, f"resident-waiting-{language}")


def test_farsi_call_and_questionnaire_are_right_to_left(browsers, make_visit):
    setup = make_visit(resident_name="Maryam Ahmadi", resident_language="fa")
    resident = browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident)
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_remote_videos(resident, 1)
    stage = wait_in_call(resident)
    expect(stage.get_by_role("button", name=call_string(resident, "hangUp"))).to_be_visible()
    assert call_string(resident, "hangUp") == "خروج"

    staff.get_by_role("button", name=call_string(staff, "formStart")).click()
    form = resident.get_by_role("region", name=TITLE["fa"])
    form.wait_for(state="visible", timeout=MEDIA_TIMEOUT_MS)
    expect(form).to_have_attribute("dir", "rtl")
    expect(form.get_by_label(call_string(resident, "formLanguage"))).to_have_value("fa")
    expect(form.get_by_role("radio", name="بله", exact=True).first).to_be_visible()
    axe_check(resident, "call with the questionnaire in Farsi")
    screenshot(resident, "resident-form-fa")
