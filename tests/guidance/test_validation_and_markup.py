"""Upload checks by content (MP4/WebM, WebVTT) and the tiny safe help page markup."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.guidance.conftest import CAPTIONS, MP4_HEAD, WEBM_HEAD, video_bytes
from videocontact.guidance.markup import render
from videocontact.guidance.validation import check_captions, check_video, sniff_video


def test_sniff_mp4_and_webm() -> None:
    assert sniff_video(MP4_HEAD) == "video/mp4"
    assert sniff_video(WEBM_HEAD) == "video/webm"


@pytest.mark.parametrize(
    "head",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        b"%PDF-1.7\n" + b"\x00" * 40,
        b"<html><script>alert(1)</script>",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",  # an iPhone photo
        b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1",
        b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ",  # QuickTime
        b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42",  # audio only
        WEBM_HEAD.replace(b"webm", b"matr"),  # Matroska, not WebM
        b"",
        b"ftyp",
    ],
)
def test_sniff_refuses_other_files(head: bytes) -> None:
    assert sniff_video(head) is None


def test_check_video_returns_type_size_and_hash() -> None:
    data = video_bytes("webm", 5000)
    info = check_video(io.BytesIO(data), len(data))
    assert (info.content_type, info.size) == ("video/webm", 5000)
    import hashlib

    assert info.sha256 == hashlib.sha256(data).hexdigest()


def test_check_video_refuses_too_large_empty_and_non_video(settings: Any) -> None:
    settings.GUIDANCE_VIDEO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        check_video(io.BytesIO(video_bytes(size=1001)), 1001)
    assert exc.value.code == "too_large"
    with pytest.raises(ValidationError) as exc:
        check_video(io.BytesIO(b""), 0)
    assert exc.value.code == "empty"
    renamed_text = b"This is a text file called video.mp4" * 10
    with pytest.raises(ValidationError) as exc:
        check_video(io.BytesIO(renamed_text), len(renamed_text))
    assert exc.value.code == "not_video"


def test_check_captions() -> None:
    check_captions(io.BytesIO(CAPTIONS), len(CAPTIONS))
    with_bom = "\ufeffWEBVTT - Nederlands\r\n\r\n00:01.000 --> 00:02.000\r\nHallo\r\n".encode()
    check_captions(io.BytesIO(with_bom), len(with_bom))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"1\n00:00:00,000 --> 00:00:02,000\nSRT, not WebVTT\n", "not_webvtt"),
        (b"WEBVTTX\n\n00:00.000 --> 00:01.000\nx\n", "not_webvtt"),
        (b"WEBVTT\n\nno cues at all\n", "no_cues"),
        (b"WEBVTT\n\n\xff\xfe\x00", "encoding"),
    ],
)
def test_check_captions_refuses(data: bytes, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        check_captions(io.BytesIO(data), len(data))
    assert exc.value.code == code


def test_captions_size_limit(settings: Any) -> None:
    settings.GUIDANCE_CAPTIONS_MAX_BYTES = 10
    with pytest.raises(ValidationError) as exc:
        check_captions(io.BytesIO(CAPTIONS), len(CAPTIONS))
    assert exc.value.code == "too_large"


# Markup --------------------------------------------------------------------------------------


def test_markup_paragraphs_lists_bold_and_italic() -> None:
    text = "Eerste regel\ntweede regel\n\n- een\n- **twee**\n\n1. a\n2. *b*\n\n\n\nEinde"
    assert render(text) == (
        "<p>Eerste regel<br>tweede regel</p>"
        "<ul><li>een</li><li><strong>twee</strong></li></ul>"
        "<ol><li>a</li><li><em>b</em></li></ol>"
        "<p>Einde</p>"
    )


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "**<b onclick=x>bold</b>**",
        "[link](javascript:alert(1))",
        "- <a href='https://evil'>x</a>",
    ],
)
def test_markup_escapes_everything_else(text: str) -> None:
    html = render(text)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "<b " not in html and "onclick=x>" not in html
    assert "&lt;" in html or "javascript" in html


def test_markup_leaves_lone_stars_and_windows_newlines_alone() -> None:
    assert render("2 * 3 = 6\r\n\r\nnext") == "<p>2 * 3 = 6</p><p>next</p>"
    assert render("") == ""
    assert render("   \n\n  ") == ""
