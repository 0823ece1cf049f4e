"""The help video costs no data before play: preload="none" and a poster frame made with ffmpeg
when the video is saved (a static picture when there is none)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from videocontact.guidance.models import Audience, HelpVideo
from videocontact.guidance.services import help_video_create
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


def real_video(tmp_path: Path) -> bytes:
    target = tmp_path / "v.webm"
    subprocess.run(
        [
            *("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i"),
            *("testsrc=size=640x360:rate=10", "-t", "2", "-c:v", "libvpx", str(target)),
        ],
        check=True,
        timeout=60,
    )
    return target.read_bytes()


@needs_ffmpeg
def test_a_saved_video_gets_a_poster_and_the_page_loads_no_video(
    client: Client,
    visit: Visit,
    token: str,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        video = help_video_create(
            title="Zo werkt het",
            audience=Audience.RESIDENT,
            language="nl",
            video=ContentFile(real_video(tmp_path), name="v.webm"),
        )
    video.refresh_from_db()
    assert video.poster
    poster = client.get(f"/help/videos/{video.pk}/poster.jpg")
    assert poster.status_code == 200 and poster["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(poster.content)).size == (640, 360)

    client.get(f"/j/{token}")
    html = client.get(f"/v/{visit.id}/consent").content.decode()
    assert (
        f'<video controls preload="none" playsinline aria-label="Zo werkt het" '
        f'poster="/help/videos/{video.pk}/poster.jpg">'
    ) in html

    # Deleting the video deletes its poster file too.
    path = Path(video.poster.path)
    assert path.exists()
    video.delete()
    assert not path.exists()


def test_without_a_poster_frame_the_page_shows_a_static_picture(
    client: Client,
    visit: Visit,
    token: str,
    make_video: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The conftest's video is random bytes after a header: ffmpeg cannot read it."""
    with django_capture_on_commit_callbacks(execute=True):
        video: HelpVideo = make_video()
    video.refresh_from_db()
    assert not video.poster
    assert client.get(f"/help/videos/{video.pk}/poster.jpg").status_code == 404
    client.get(f"/j/{token}")
    html = client.get(f"/v/{visit.id}/consent").content.decode()
    assert 'preload="none"' in html and 'preload="metadata"' not in html
    assert 'poster="/static/videocontact/img/video-poster.svg"' in html
