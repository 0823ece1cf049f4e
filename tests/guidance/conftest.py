"""Help videos and pages, stored in a media directory of the test's own."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile

from videocontact.guidance.models import Audience, HelpVideo
from videocontact.guidance.services import help_video_create

# The first bytes of real files (ffmpeg output), then filler: enough for the content checks.
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41\x00\x00\x00\x08free"
WEBM_HEAD = bytes.fromhex(
    "1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581021853806701"
)
CAPTIONS = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nWelkom.\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def video_bytes(kind: str = "mp4", size: int = 10_000) -> bytes:
    head = MP4_HEAD if kind == "mp4" else WEBM_HEAD
    return head + os.urandom(size - len(head))


@pytest.fixture
def make_video(db: None) -> Callable[..., HelpVideo]:
    def make(
        *,
        data: bytes | None = None,
        audience: str = Audience.RESIDENT,
        language: str = "nl",
        title: str = "Zo werkt het",
        captions: bytes | None = CAPTIONS,
    ) -> HelpVideo:
        return help_video_create(
            title=title,
            audience=audience,
            language=language,
            video=ContentFile(data if data is not None else video_bytes(), name="video.mp4"),
            captions=ContentFile(captions, name="captions.vtt") if captions else None,
        )

    return make
