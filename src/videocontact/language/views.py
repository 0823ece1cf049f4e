"""Read-aloud audio and what this installation can do with languages (thin views)."""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from videocontact.language import tts
from videocontact.language.access import may_use_visit
from videocontact.language.errors import EngineUnavailable
from videocontact.language.selectors import question_speech_text


@require_GET
def speech_languages(request: HttpRequest) -> JsonResponse:
    """The languages the server reads aloud (the page falls back to the phone's voice)."""
    response = JsonResponse({"engine": tts.engine().name, "languages": tts.server_languages()})
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def question_speech(
    request: HttpRequest, visit_id: uuid.UUID, question_id: str, language: str
) -> HttpResponse:
    """One question of the visit's questionnaire, read aloud, as Ogg Opus."""
    if not may_use_visit(request, visit_id):
        raise Http404("no such visit")
    text = question_speech_text(visit_id, question_id, language)
    if text is None:
        raise Http404("no such question in this language")
    try:
        speech = tts.speech_for_text(text, language)
    except EngineUnavailable as exc:
        return JsonResponse({"error": exc.code, "message": str(exc)}, status=503)
    etag = f'"{speech.key[:32]}"'
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponse(status=304)
    else:
        response = FileResponse(speech.path.open("rb"), content_type="audio/ogg; codecs=opus")
    response.headers["ETag"] = etag
    # The URL names a visit, so no shared cache; the browser may keep it for a day.
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
