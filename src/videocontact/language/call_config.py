"""The language part of the call page: configuration handed over with json_script."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext as _

from videocontact.language import mt
from videocontact.visits.models import Visit


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
    }


def language_config(request: HttpRequest, visit: Visit, *, is_staff: bool) -> dict[str, Any]:
    names = dict(settings.LANGUAGES)
    config: dict[str, Any] = {"visitId": str(visit.id)}
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
            }
        )
    return config
