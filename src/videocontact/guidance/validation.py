"""Upload checks for help videos and captions: by content, never by file name or browser type."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ISO base media file brands of ordinary MP4 video. Not: QuickTime ("qt  "), audio-only
# ("M4A "), and the still-image formats that share the container (HEIC, AVIF, …).
MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V "}
)
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
# The EBML DocType element (id 0x4282, a variable-length size, then "webm"); "matroska" is not
# accepted: browsers play WebM, not every Matroska file.
WEBM_DOCTYPE = re.compile(rb"\x42\x82[\x01-\xff][\x00-\xff]{0,7}?webm", re.DOTALL)


@dataclass(frozen=True)
class VideoInfo:
    content_type: str
    size: int
    sha256: str


def sniff_video(head: bytes) -> str | None:
    """The media type of an MP4 or WebM file from its first bytes, or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return "video/mp4"
    if head.startswith(EBML_MAGIC) and WEBM_DOCTYPE.search(head[:64]):
        return "video/webm"
    return None


def _rewind(fileobj: IO[bytes]) -> None:
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)


def check_video(fileobj: IO[bytes], size: int) -> VideoInfo:
    """Raise ValidationError unless the file is an MP4 or WebM video within the size limit."""
    limit = settings.GUIDANCE_VIDEO_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The video is larger than %(mb)d MB.") % {"mb": limit // 1_000_000},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    _rewind(fileobj)
    head = fileobj.read(64)
    content_type = sniff_video(head)
    if content_type is None:
        raise ValidationError(
            _("This file is not an MP4 or WebM video. Upload a video in one of those formats."),
            code="not_video",
        )
    digest = hashlib.sha256(head)
    while chunk := fileobj.read(1024 * 1024):
        digest.update(chunk)
    _rewind(fileobj)
    return VideoInfo(content_type=content_type, size=size, sha256=digest.hexdigest())


def check_captions(fileobj: IO[bytes], size: int) -> None:
    """Raise ValidationError unless the file is UTF-8 WebVTT within the size limit."""
    limit = settings.GUIDANCE_CAPTIONS_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The captions file is larger than %(kb)d kB.") % {"kb": limit // 1000},
            code="too_large",
        )
    _rewind(fileobj)
    raw = fileobj.read(limit + 1)
    _rewind(fileobj)
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The captions file must be UTF-8 text."), code="encoding") from exc
    first = text.split("\n", 1)[0].rstrip("\r")
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ValidationError(
            _("This is not a WebVTT captions file: the first line must be 'WEBVTT'."),
            code="not_webvtt",
        )
    if "-->" not in text:
        raise ValidationError(_("The captions file has no captions."), code="no_cues")
