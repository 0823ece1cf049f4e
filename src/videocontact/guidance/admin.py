"""Functional administrators manage help videos and pages in the admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from videocontact.guidance.models import HelpPage, HelpVideo
from videocontact.guidance.poster import poster_refresh
from videocontact.guidance.validation import VideoInfo, check_captions, check_video


class HelpVideoForm(forms.ModelForm):
    class Meta:
        model = HelpVideo
        fields = [
            "title",
            "audience",
            "language",
            "organisation",
            "file",
            "captions",
            "position",
            "published",
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "content_type"):  # a new upload
            self.video_info: VideoInfo = check_video(upload, upload.size)
        return upload

    def clean_captions(self) -> Any:
        upload = self.cleaned_data.get("captions")
        if upload and hasattr(upload, "content_type"):  # a new upload
            check_captions(upload, upload.size)
        return upload

    def save(self, commit: bool = True) -> HelpVideo:
        info = getattr(self, "video_info", None)
        if info is not None:
            self.instance.content_type = info.content_type
            self.instance.size = info.size
            self.instance.sha256 = info.sha256
        return super().save(commit=commit)


@admin.register(HelpVideo)
class HelpVideoAdmin(admin.ModelAdmin):
    form = HelpVideoForm
    list_display = ["title", "audience", "language", "organisation", "content_type", "published"]
    list_filter = ["audience", "language", "published"]
    search_fields = ["title"]
    readonly_fields = ["content_type", "size", "sha256"]

    def save_model(self, request: Any, obj: HelpVideo, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change or "file" in form.changed_data:
            transaction.on_commit(lambda: poster_refresh(obj))  # a still for before play


@admin.register(HelpPage)
class HelpPageAdmin(admin.ModelAdmin):
    list_display = ["title", "audience", "language", "organisation", "published"]
    list_filter = ["audience", "language", "published"]
    search_fields = ["title", "body"]

    fieldsets = [
        (None, {"fields": ["title", "audience", "language", "organisation"]}),
        (_("Text"), {"fields": ["body"]}),
        (_("Showing"), {"fields": ["position", "published"]}),
    ]
