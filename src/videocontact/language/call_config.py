"""The language part of the call page: configuration handed over with json_script."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from videocontact.language import mt
from videocontact.language.stt import service as stt_service
from videocontact.visits.models import Visit


def caption_strings() -> dict[str, str]:
    """For everyone in the call, in the language of their page."""
    return {
        "capTitle": _("Live captions"),
        "capAsk": _(
            "The caseworker wants to show live captions: what is said in this call appears as "
            "text. The speech is turned into text on the municipality's own server. Do you agree?"
        ),
        "capAskKeep": _("A written record of the captions is kept with this conversation."),
        "capAskNotKept": _("The text is not kept after the call."),
        "capAgree": _("Yes, show captions"),
        "capDecline": _("No"),
        "capLanguage": _("Language of the captions"),
        "capWaiting": _("Waiting until everyone in the call agrees…"),
        "capOn": _("Live captions are on."),
        "capOff": _("Live captions are off."),
        "capDeclined": _("Someone in the call did not agree. There are no captions."),
        "capStopped": _("Live captions were stopped."),
        "capStop": _("Stop captions"),
        "capPaused": _("Captions paused: the server is busy. They come back by themselves."),
        "capReconnecting": _(
            "Captions paused: the connection was lost. They come back by themselves."
        ),
        "capMachine": _("machine translation"),
        "capNoTranslation": _("no translation, original text"),
        "capNoMic": _("Your microphone cannot be used for captions."),
        "roleCaseworker": _("Caseworker"),
        "roleResident": _("Resident"),
        "roleInterpreter": _("Interpreter"),
        "roleFamily": _("Family member or helper"),
        "roleColleague": _("Second caseworker"),
    }


def caption_languages(visit: Visit, page_language: str) -> list[dict[str, str]]:
    """The languages a reader can really get captions in on this installation: the spoken
    languages themselves, English (Whisper translate) and the MT pairs from a spoken language."""
    names = dict(settings.LANGUAGES)
    model = stt_service.chosen_model()
    spoken = {settings.LANGUAGE_CODE, visit.resident_language}
    offered = set(spoken) | {page_language}
    if model is not None and model.multilingual:
        offered.add("en")
    offered |= {t for (s, t) in mt.available_pairs() if s in spoken and t in names}
    return [{"code": c, "name": names.get(c, c)} for c in sorted(offered)]


def staff_strings() -> dict[str, str]:
    return {
        "translateTitle": _("Translate answers"),
        "translateIntro": _(
            "Machine translation of the resident's written answers, beside the original. "
            "Check important answers with an interpreter."
        ),
        "translateInto": _("Translate into"),
        "translateButton": _("Translate"),
        "translateBusy": _("Translating…"),
        "translateNone": _("There are no written answers to translate."),
        "translateFailed": _("Translating did not work. Try again later."),
        "translateNoPair": _("No machine translation for this language pair on this server."),
        "translateOriginal": _("Original"),
        "translateMachine": _("Machine translation ({engine})"),
        "translateUnavailable": _("Machine translation is not installed on this server."),
        "capStart": _("Start live captions"),
        "capUnavailable": _("Live captions are not available on this server: {reason}"),
    }


def language_config(request: HttpRequest, visit: Visit, *, is_staff: bool) -> dict[str, Any]:
    names = dict(settings.LANGUAGES)
    page_language = translation.get_language() or settings.LANGUAGE_CODE
    unavailable = stt_service.unavailable_reason()
    config: dict[str, Any] = {
        "visitId": str(visit.id),
        "captionsWsPath": f"/ws/visits/{visit.id}/captions/",
        "captionsAvailable": unavailable is None,
        "captionLanguages": caption_languages(visit, page_language),
        "pageLanguage": page_language,
        "captionStrings": caption_strings(),
    }
    if is_staff:
        targets = sorted({target for (_source, target) in mt.available_pairs()})
        config.update(
            {
                "csrfToken": get_token(request),
                "translateUrl": reverse(
                    "language:answers_translate", kwargs={"visit_id": visit.id}
                ),
                "targets": [{"code": t, "name": names.get(t, t)} for t in targets],
                "strings": staff_strings(),
                "captionsUnavailable": unavailable or "",
            }
        )
    return config
