# ruff: noqa: RUF001 (Turkish dotless i)
"""The call's microphone and camera buttons are toggle buttons (aria-pressed="true" = turned off).
Their fixed label must say the action the pressed state stands for ("Turn microphone off"), in
every language: a label that states a condition ("the microphone is off") is false while the
button is not pressed."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db

# The action each button performs when pressed, per language (reviewed wording).
EXPECTED = {
    "nl": ("Microfoon uitzetten", "Camera uitzetten"),
    "en": ("Turn microphone off", "Turn camera off"),
    "ar": ("كتم الميكروفون", "إيقاف الكاميرا"),
    "tr": ("Mikrofonu kapat", "Kamerayı kapat"),
    "pl": ("Wyłącz mikrofon", "Wyłącz kamerę"),
    "uk": ("Вимкнути мікрофон", "Вимкнути камеру"),
}
# State wordings ("microphone is off") that must not be used as the label of a toggle.
STATE_WORDS = {
    "nl": ["Microfoon uit<", "Camera uit<"],
    "en": ["Microphone off<", "Camera off<"],
    "ar": ["مغلق"],
    "tr": ["kapalı"],
    "pl": ["wyłączony", "wyłączona"],
    "uk": ["вимкнено"],
}


def button(html: str, element_id: str) -> tuple[str, str]:
    match = re.search(
        rf'<button id="{element_id}"[^>]*aria-pressed="(\w+)"[^>]*>.*?'
        r'<span class="control__label">([^<]*)</span></button>',
        html,
        re.S,
    )
    assert match, element_id
    return match.group(1), match.group(2)


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_toggle_labels_say_the_action_in_every_language(
    client: Client, visit: Visit, token: str, language: str
) -> None:
    client.get(f"/j/{token}")
    client.cookies["vc_language"] = language
    assert client.post(f"/v/{visit.id}/consent", {"decision": "accept"}).status_code == 302
    html = client.get(f"/v/{visit.id}/call").content.decode()
    mic, camera = EXPECTED[language]
    assert button(html, "vc-mute") == ("false", mic)
    assert button(html, "vc-camera") == ("false", camera)
    for word in STATE_WORDS[language]:
        assert word not in html
