"""A poster frame for a help video, made with ffmpeg when the video is saved.

The page shows the poster with `preload="none"`, so a resident on prepaid data downloads no
video until they press play. Without ffmpeg (or for a file it cannot read) there is no poster
and the page shows a static picture instead."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile

from videocontact.guidance.models import HelpVideo

POSTER_MAX_WIDTH = 1280
POSTER_MAX_BYTES = 2_000_000


def frame_jpeg(video_path: Path, *, at_seconds: float = 1.0) -> bytes | None:
    """One frame as JPEG (at most 1280 wide), or None. A video shorter than `at_seconds` gets
    its first frame."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    for seek in dict.fromkeys([at_seconds, 0.0]):
        command = [
            ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
            # Only the local file: no network or other protocols a crafted file could name.
            "-protocol_whitelist", "file,pipe",
            "-ss", str(seek), "-i", str(video_path),
            "-frames:v", "1", "-an", "-sn",
            "-vf", f"scale='min({POSTER_MAX_WIDTH},iw)':-2",
            "-f", "image2", "-c:v", "mjpeg", "-q:v", "5", "pipe:1",
        ]  # fmt: skip
        try:
            result = subprocess.run(command, capture_output=True, timeout=30, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            return None
        data = result.stdout
        if result.returncode == 0 and data.startswith(b"\xff\xd8") and len(data) < POSTER_MAX_BYTES:
            return data
    return None


def poster_refresh(video: HelpVideo) -> bool:
    """(Re)make the poster of a saved video from its file. True when there is one now."""
    try:
        data = frame_jpeg(Path(video.file.path))  # local storage: read in place
    except NotImplementedError:  # remote storage: ffmpeg reads a local copy
        with tempfile.TemporaryDirectory(prefix="vc-poster-") as tmp:
            source = Path(tmp) / "video"
            with video.file.open("rb") as handle, source.open("wb") as out:
                shutil.copyfileobj(handle, out)
            data = frame_jpeg(source)
    if video.poster:
        video.poster.delete(save=False)
    if data is not None:
        video.poster.save(f"poster-{video.pk}.jpg", ContentFile(data), save=False)
    HelpVideo.objects.filter(pk=video.pk).update(poster=video.poster.name or "")
    return data is not None
