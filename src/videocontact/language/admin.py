"""Caption settings per process, and one page with what this installation can do with
languages: speech models (languages, measured real-time factor), read-aloud voices, machine
translation pairs, and the translations that still need review."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from videocontact.language import mt, review, tts
from videocontact.language.models import CaptionSettings
from videocontact.language.stt import catalog
from videocontact.language.stt import service as stt_service


@admin.register(CaptionSettings)
class CaptionSettingsAdmin(admin.ModelAdmin):
    list_display = ["process", "keep_transcript"]
    change_list_template = "admin/language/change_list.html"

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "engines/",
                self.admin_site.admin_view(self.engines_view),
                name="language_engines",
            )
        ]
        return own + super().get_urls()

    def engines_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Language engines and translation review"),
            "models": catalog.installed_models(),
            "stt_problem": stt_service.unavailable_reason(),
            "voices": tts.server_languages(),
            "tts_engine": tts.engine().name,
            "pairs": sorted(mt.available_pairs().items()),
            "review": review.needs_review(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/language/engines.html", context)
