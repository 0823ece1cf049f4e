"""Server read-aloud: real espeak-ng and ffmpeg, Opus out, cached once, access checked."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client

from tests import factories
from videocontact.accounts.models import User
from videocontact.language import tts
from videocontact.language.errors import EngineUnavailable
from videocontact.questionnaires.models import Questionnaire
from videocontact.visits.models import ParticipantState, Visit

needs_espeak = pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng missing")


@pytest.fixture(autouse=True)
def _speech_dir(settings: Any, tmp_path: Any) -> None:
    settings.LANGUAGE_SPEECH_DIR = tmp_path / "speech"
    tts.engine.cache_clear()
    tts.server_languages.cache_clear()


def _duration(path: Any) -> float:
    probe = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=duration:stream=codec_name",
            "-of",
            "default=nw=1",
            str(path),
        ],
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "codec_name=opus" in probe
    return float(probe.split("duration=")[1].split()[0])


@needs_espeak
def test_server_speaks_the_pilot_languages() -> None:
    assert {"nl", "en", "ar", "tr", "pl", "uk", "fa"} <= set(tts.server_languages())
    assert "ti" not in tts.server_languages()  # espeak-ng has no Tigrinya voice


@needs_espeak
def test_speech_is_opus_and_cached_once() -> None:
    first = tts.speech_for_text("Wat is uw geboortedatum?", "nl")
    data = first.path.read_bytes()
    assert data.startswith(b"OggS")
    assert 0.8 < _duration(first.path) < 6
    mtime = first.path.stat().st_mtime_ns
    again = tts.speech_for_text("Wat is uw geboortedatum?", "nl")
    assert again == first and again.path.stat().st_mtime_ns == mtime
    other = tts.speech_for_text("Wat is uw geboortedatum?", "en")
    assert other.key != first.key


def test_no_voice_is_a_clear_error() -> None:
    with pytest.raises(EngineUnavailable) as info:
        tts.speech_for_text("ሰላም", "ti")
    assert info.value.code == "no_voice"


def test_missing_engine_means_no_server_languages(settings: Any) -> None:
    settings.LANGUAGE_TTS_ENGINE = "none"
    tts.engine.cache_clear()
    tts.server_languages.cache_clear()
    assert tts.server_languages() == ()
    response = Client().get("/speech/languages")
    assert response.json() == {"engine": "none", "languages": []}


@needs_espeak
@pytest.mark.django_db
def test_resident_gets_question_audio_with_cache_headers(
    questionnaire: Questionnaire, visit: Visit
) -> None:
    resident = factories.resident_of(visit)
    resident.state = ParticipantState.ADMITTED
    resident.save()
    client = Client()
    client.cookies["vc_session"] = factories.participant_session(resident)
    url = f"/speech/{visit.id}/has_partner/en.opus"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/ogg; codecs=opus"
    assert response["Cache-Control"] == "private, max-age=86400"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"OggS")
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get(f"/speech/{visit.id}/nope/en.opus").status_code == 404
    assert client.get(f"/speech/{visit.id}/has_partner/ar.opus").status_code == 404  # not in form


@pytest.mark.django_db
def test_strangers_and_waiting_residents_get_nothing(
    questionnaire: Questionnaire, visit: Visit, outsider: User
) -> None:
    url = f"/speech/{visit.id}/has_partner/en.opus"
    assert Client().get(url).status_code == 404
    waiting = Client()
    waiting.cookies["vc_session"] = factories.participant_session(factories.resident_of(visit))
    assert waiting.get(url).status_code == 404
    staff = Client()
    staff.force_login(outsider)
    assert staff.get(url).status_code == 404


@needs_espeak
@pytest.mark.django_db
def test_caseworker_hears_the_question(
    questionnaire: Questionnaire, visit: Visit, caseworker: User
) -> None:
    client = Client()
    client.force_login(caseworker)
    assert client.get(f"/speech/{visit.id}/name/nl.opus").status_code == 200
