"""The questionnaire builder for functional administrators: a list of the questionnaires of
their processes, the editor page (js/builder.js), a live phone preview that reuses the resident's
form renderer (js/form.js) and the check and publish endpoints. A published version never
changes: publishing stores a new version (services.template_import)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from videocontact.accounts.models import Process, User
from videocontact.accounts.selectors import processes_for_admin
from videocontact.core.middleware import CONTENT_SECURITY_POLICY
from videocontact.portal.builder_messages import friendly
from videocontact.portal.call_config import call_strings
from videocontact.questionnaires.builder_strings import builder_strings
from videocontact.questionnaires.definition import DefinitionError, validate_definition
from videocontact.questionnaires.models import QuestionnaireTemplate
from videocontact.questionnaires.services import template_import, template_make_default

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "questionnaires" / "templates_data"
MAX_BODY_BYTES = 2 * 1024 * 1024
BLANK = {
    "schema_version": 1,
    "code": "nieuwe-vragenlijst",
    "title": {"nl": "Nieuwe vragenlijst"},
    "languages": {"nl": "source"},
    "sections": [
        {
            "id": "deel_1",
            "title": {"nl": "Deel 1"},
            "questions": [{"id": "vraag_1", "type": "short_text", "label": {"nl": "Vraag 1"}}],
        }
    ],
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _process_or_404(request: HttpRequest, process_id: Any) -> Process:
    try:
        return processes_for_admin(_user(request)).get(pk=int(process_id))
    except (TypeError, ValueError, Process.DoesNotExist):
        raise Http404("no such process") from None


def shipped_templates() -> list[dict[str, str]]:
    """The example questionnaires that ship with the product (a start for a new one)."""
    found = []
    for path in sorted(TEMPLATES_DIR.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        found.append({"file": path.stem, "title": data["title"].get("nl", path.stem)})
    return found


@login_required
def builder_list(request: HttpRequest) -> HttpResponse:
    processes = list(processes_for_admin(_user(request)))
    if not processes:
        raise Http404("not a functional administrator")
    templates = (
        QuestionnaireTemplate.objects.filter(process__in=processes)
        .select_related("process")
        .prefetch_related("versions")
        .order_by("process__name", "name")
    )
    request.organisation = processes[0].unit.organisation  # type: ignore[attr-defined]
    return render(
        request,
        "questionnaires/builder_list.html",
        {"templates": templates, "processes": processes, "shipped": shipped_templates()},
    )


@login_required
def builder_edit(request: HttpRequest, template_id: int | None = None) -> HttpResponse:
    """The editor, for the newest version of a template, or for a new one (blank or a copy of
    a shipped example: ?process=<id>&start=<file>)."""
    processes = processes_for_admin(_user(request))
    if template_id is not None:
        template = (
            QuestionnaireTemplate.objects.filter(pk=template_id, process__in=processes)
            .select_related("process")
            .first()
        )
        if template is None:
            raise Http404("no such questionnaire")
        process = template.process
        latest = template.latest_version()
        definition = latest.definition if latest else BLANK
        number = latest.number if latest else 0
        draft_key = f"vc-builder:{process.pk}:t{template.pk}"
    else:
        process = _process_or_404(request, request.GET.get("process"))
        start = request.GET.get("start", "")
        names = {t["file"] for t in shipped_templates()}
        definition = (
            json.loads((TEMPLATES_DIR / f"{start}.json").read_text("utf-8"))
            if start in names
            else BLANK
        )
        number = 0
        draft_key = f"vc-builder:{process.pk}:new:{start}"
    request.organisation = process.unit.organisation  # type: ignore[attr-defined]
    return render(
        request,
        "questionnaires/builder.html",
        {
            "process": process,
            "number": number,
            "builder_strings": builder_strings(),
            "builder": {
                "definition": definition,
                "process": process.pk,
                "number": number,
                # Unpublished changes are kept in this browser under this key (builder.js).
                "draftKey": draft_key,
                "checkUrl": reverse("questionnaires:builder_check"),
                "publishUrl": reverse("questionnaires:builder_publish"),
                "previewUrl": reverse("questionnaires:builder_preview"),
                "languages": [[code, str(name)] for code, name in settings.LANGUAGES],
            },
        },
    )


def _json_body(request: HttpRequest) -> dict[str, Any] | None:
    if len(request.body) > MAX_BODY_BYTES:
        return None
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _check(definition: Any) -> dict[str, Any]:
    try:
        validate_definition(definition)
    except DefinitionError as exc:
        return {
            "ok": False,
            "path": exc.path,
            "message": friendly(exc.path, exc.message),
            "technical": exc.message,
        }
    return {"ok": True}


@login_required
@require_POST
def builder_check(request: HttpRequest) -> JsonResponse:
    if not processes_for_admin(_user(request)).exists():
        raise Http404("not a functional administrator")
    body = _json_body(request)
    if body is None or "definition" not in body:
        return JsonResponse({"ok": False, "path": "$", "message": _("Not valid JSON.")}, status=400)
    return JsonResponse(_check(body["definition"]))


@login_required
@require_POST
def builder_publish(request: HttpRequest) -> JsonResponse:
    body = _json_body(request)
    if body is None or "definition" not in body:
        return JsonResponse({"ok": False, "path": "$", "message": _("Not valid JSON.")}, status=400)
    process = _process_or_404(request, body.get("process"))
    result = _check(body["definition"])
    if not result["ok"]:
        return JsonResponse(result, status=400)
    version = template_import(process=process, data=body["definition"], by_user=_user(request))
    # "Publish" means: new visits of this process use it (see the builder's status message).
    template_make_default(template=version.template, by_user=_user(request))
    return JsonResponse(
        {
            "ok": True,
            "number": version.number,
            "url": reverse("questionnaires:builder_edit", args=[version.template_id]),
        }
    )


@login_required
@xframe_options_sameorigin
def builder_preview(request: HttpRequest) -> HttpResponse:
    """The resident's form sheet on its own, in the chosen language, framed by the builder."""
    if not processes_for_admin(_user(request)).exists():
        raise Http404("not a functional administrator")
    language = request.GET.get("lang", "nl")
    if language not in dict(settings.LANGUAGES):
        language = "nl"
    with translation.override(language):
        response = render(
            request,
            "questionnaires/builder_preview.html",
            {
                "strings": call_strings(),
                "preview_language": language,
                "preview_direction": "rtl" if translation.get_language_bidi() else "ltr",
            },
        )
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )
    return response
