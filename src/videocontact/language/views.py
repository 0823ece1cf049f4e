"""Read-aloud audio and what this installation can do with languages (thin views)."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from videocontact.language import mt, services, tts
from videocontact.language.access import may_use_visit
from videocontact.language.errors import EngineUnavailable
from videocontact.language.selectors import question_speech_text
from videocontact.visits.staff_access import staff_user, staff_visit_or_404


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
        response = FileResponse(speech.path.open("rb"), content_type="audio/ogg; codecs=opus")  # type: ignore[assignment]
    response.headers["ETag"] = etag
    # The URL names a visit, so no shared cache; the browser may keep it for a day.
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@require_GET
@login_required
def translation_pairs(request: HttpRequest) -> JsonResponse:
    """The machine-translation pairs that really work on this installation."""
    pairs = mt.available_pairs()
    return JsonResponse(
        {"pairs": [{"source": s, "target": t, "engine": e} for (s, t), e in sorted(pairs.items())]}
    )


@never_cache
@require_POST
@login_required
def answers_translate(request: HttpRequest, visit_id: uuid.UUID) -> JsonResponse:
    """The resident's free-text answers, machine-translated into the caseworker's language."""
    visit = staff_visit_or_404(request, visit_id)
    target = request.POST.get("target", "nl")
    if not target.isascii() or not target.isalpha() or len(target) > 3:
        return JsonResponse({"error": "target", "message": "unknown language"}, status=400)
    result = services.answers_translate(visit=visit, target=target, by_user=staff_user(request))
    return JsonResponse(result)
