"""Write side of guidance: store a help video after checking its content."""

from __future__ import annotations

from django.core.files.base import File
from django.db import transaction

from videocontact.guidance.models import HelpVideo
from videocontact.guidance.poster import poster_refresh
from videocontact.guidance.validation import check_captions, check_video


@transaction.atomic
def help_video_create(
    *,
    title: str,
    audience: str,
    language: str,
    video: File,
    captions: File | None = None,
    position: int = 0,
) -> HelpVideo:
    """A help video from trusted code (the demo); the admin form runs the same checks."""
    info = check_video(video, video.size)
    if captions is not None:
        check_captions(captions, captions.size)
    item = HelpVideo(
        title=title,
        audience=audience,
        language=language,
        position=position,
        content_type=info.content_type,
        size=info.size,
        sha256=info.sha256,
    )
    item.file.save(video.name or "video", video, save=False)
    if captions is not None:
        item.captions.save(captions.name or "captions.vtt", captions, save=False)
    item.save()
    # ffmpeg runs after the commit: a slow or failing poster never blocks or undoes the save.
    transaction.on_commit(lambda: poster_refresh(item))
    return item
