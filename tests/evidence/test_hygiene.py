"""Uploaded images: real type by content, limits before decoding, metadata stripped losslessly."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import pytest
from PIL import Image

from videocontact.evidence.hygiene import ImageRefused, clean_image


def jpeg(width: int = 64, height: int = 48, **save: Any) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (52.0, 5.0, 0.0)}  # GPSInfo: a latitude
    return jpeg(exif=exif.tobytes(), comment=b"my home")


def png(width: int = 32, height: int = 32, text: bool = False) -> bytes:
    image = Image.new("RGB", (width, height), (0, 120, 0))
    buffer = io.BytesIO()
    if text:
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Location", "Dorpsstraat 1")
        image.save(buffer, "PNG", pnginfo=info)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def test_jpeg_exif_and_comment_are_removed_pixels_untouched() -> None:
    original = jpeg_with_exif()
    assert b"PhoneMaker" in original and b"my home" in original
    clean = clean_image(original)
    assert b"PhoneMaker" not in clean.data and b"my home" not in clean.data
    assert (clean.width, clean.height, clean.content_type) == (64, 48, "image/jpeg")
    with Image.open(io.BytesIO(clean.data)) as a, Image.open(io.BytesIO(original)) as b:
        assert a.tobytes() == b.tobytes()
        assert not a.getexif()


def test_clean_jpeg_is_stable() -> None:
    once = clean_image(jpeg_with_exif()).data
    assert clean_image(once).data == once


def test_png_text_chunks_are_removed() -> None:
    clean = clean_image(png(text=True))
    assert b"Dorpsstraat" not in clean.data and clean.content_type == "image/png"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"GIF89a" + b"\x00" * 100, "bad_type"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "bad_type"),
        (b"", "bad_type"),
        (b"\xff\xd8\xff\xe0" + b"\x00", "corrupt"),
        (jpeg()[:200], "corrupt"),
        (png()[:60], "corrupt"),
    ],
)
def test_refused_with_a_reason(data: bytes, code: str) -> None:
    with pytest.raises(ImageRefused) as info:
        clean_image(data)
    assert info.value.code == code and info.value.message


def test_too_many_bytes(settings: Any) -> None:
    settings.PHOTO_MAX_BYTES = 1000
    with pytest.raises(ImageRefused) as info:
        clean_image(jpeg(400, 400, quality=95))
    assert info.value.code == "too_large"


def test_decompression_bomb_is_refused_before_decoding(settings: Any) -> None:
    """A tiny PNG that claims 30 000 x 30 000 pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )
    assert len(bomb) < 200
    with pytest.raises(ImageRefused) as info:
        clean_image(bomb)
    assert info.value.code == "too_many_pixels"


def test_too_wide(settings: Any) -> None:
    settings.PHOTO_MAX_SIDE = 100
    with pytest.raises(ImageRefused) as info:
        clean_image(jpeg(200, 10))
    assert info.value.code == "too_many_pixels"


def test_truncated_jpeg_is_refused_even_when_pillow_accepts_truncated_images() -> None:
    """WeasyPrint (imported by the report builder) turns LOAD_TRUNCATED_IMAGES on process-wide."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        with pytest.raises(ImageRefused) as info:
            clean_image(jpeg(640, 480)[:-2000])
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
    assert info.value.code == "corrupt"


def test_anything_after_the_end_of_the_image_is_cut_off() -> None:
    original = jpeg()
    clean = clean_image(original + b"PK\x03\x04 an appended zip with secrets")
    assert clean.data == clean_image(original).data
    assert b"secrets" not in clean.data


def test_metadata_hidden_between_scans_is_refused() -> None:
    import io as _io

    buffer = _io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(buffer, "JPEG", progressive=True)
    progressive = buffer.getvalue()
    assert clean_image(progressive).data  # a progressive JPEG (several scans) is fine
    second_scan = progressive.index(b"\xff\xda", progressive.index(b"\xff\xda") + 2)
    exif = b"\xff\xe1\x00\x10Exif\x00\x00GPS....."
    with pytest.raises(ImageRefused) as info:
        clean_image(progressive[:second_scan] + exif + progressive[second_scan:])
    assert info.value.code == "corrupt"
