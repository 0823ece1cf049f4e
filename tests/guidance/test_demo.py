"""The demo help: pages in three languages, and an instruction video made with ffmpeg."""

from __future__ import annotations

import pytest

from videocontact.guidance.demo import DEMO_VIDEO_TITLE, ensure_guidance_demo
from videocontact.guidance.models import HelpPage, HelpVideo
from videocontact.guidance.validation import sniff_video

pytestmark = pytest.mark.django_db


def test_demo_makes_pages_and_a_captioned_video_once() -> None:
    ensure_guidance_demo(with_video=True)
    ensure_guidance_demo(with_video=True)
    assert set(HelpPage.objects.values_list("language", flat=True)) == {"nl", "en", "ar"}
    video = HelpVideo.objects.get(title=DEMO_VIDEO_TITLE)
    with video.file.open("rb") as handle:
        assert sniff_video(handle.read(64)) == video.content_type == "video/webm"
    assert video.size == video.file.size > 1000
    with video.captions.open("rb") as handle:
        assert handle.read().startswith(b"WEBVTT")


def test_demo_pages_only() -> None:
    ensure_guidance_demo(with_video=False)
    assert HelpPage.objects.count() == 4 and not HelpVideo.objects.exists()


def test_without_ffmpeg_the_demo_keeps_the_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no ffmpeg to be found
    ensure_guidance_demo(with_video=True)
    assert HelpPage.objects.count() == 4 and not HelpVideo.objects.exists()
