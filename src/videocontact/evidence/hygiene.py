"""Image hygiene for uploaded photos: real type by content, size and pixel limits, no metadata.

Metadata (EXIF with GPS position and phone model, XMP, ICC profiles, comments) is removed
losslessly at the container level, so the pixels are exactly what the camera gave and the
SHA-256 of the stored file is stable. The image is then fully decoded once, with a pixel limit
checked before decoding, so truncated files and decompression bombs are refused.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# PNG chunks an image needs; everything else (tEXt, zTXt, iTXt, eXIf, tIME, iCCP, …) goes.
PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"sRGB", b"cHRM", b"sBIT"}


class ImageRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int


def _strip_jpeg(data: bytes) -> bytes:
    """Drop APP1..APP15 (EXIF, XMP, ICC, …) and COM segments; keep APP0 (JFIF) and the rest."""
    out = bytearray(data[:2])
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ImageRefused("corrupt", "the JPEG file is damaged")
        marker = data[pos + 1] if pos + 1 < len(data) else 0
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is entropy-coded image data
            out += _scans_until_end(data, pos)
            return bytes(out)
        if 0xD0 <= marker <= 0xD9 or marker == 0x01:  # markers without a length
            out += data[pos : pos + 2]
            pos += 2
            continue
        if pos + 4 > len(data):
            raise ImageRefused("corrupt", "the JPEG file is damaged")
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise ImageRefused("corrupt", "the JPEG file is damaged")
        if not (0xE1 <= marker <= 0xEF or marker == 0xFE):
            out += data[pos:end]
        pos = end
    raise ImageRefused("corrupt", "the JPEG file has no image data")


def _strip_png(data: bytes) -> bytes:
    out = bytearray(PNG_MAGIC)
    pos = len(PNG_MAGIC)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunk_type = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ImageRefused("corrupt", "the PNG file is damaged")
        if chunk_type in PNG_KEEP:
            out += data[pos:end]
        pos = end
        if chunk_type == b"IEND":
            return bytes(out)
    raise ImageRefused("corrupt", "the PNG file is damaged")


MAX_SCANS = 100  # a progressive JPEG has about 10; thousands would only cost CPU


def _scans_until_end(data: bytes, start: int) -> bytes:
    """The scans up to and including the end-of-image marker. In entropy-coded data every 0xFF
    is followed by 0x00 or a restart marker, so any other marker is a real one: tables and
    further scans (progressive JPEG) stay; metadata segments between scans are refused;
    anything after the end (an appended file, a second image with its own EXIF) is cut off.
    A cut-off file has no end marker. That is checked here, because the decoder cannot be
    trusted to notice: WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process,
    and Pillow then pads a truncated image with grey."""
    scans = 0
    pos = start
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            raise ImageRefused("corrupt", "the JPEG file is incomplete")
        marker = data[pos + 1]
        if marker == 0xD9:
            return data[start : pos + 2]
        if marker == 0xDA:
            scans += 1
            if scans > MAX_SCANS:
                raise ImageRefused("corrupt", "the JPEG file has too many scans")
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:
            raise ImageRefused("corrupt", "the JPEG file has data hidden between its scans")
        pos += 2


def clean_image(data: bytes) -> CleanImage:
    if len(data) > settings.PHOTO_MAX_BYTES:
        raise ImageRefused(
            "too_large", f"a photo may be at most {settings.PHOTO_MAX_BYTES // 1_000_000} MB"
        )
    if data.startswith(JPEG_MAGIC):
        stripped, content_type, fmt = _strip_jpeg(data), "image/jpeg", "JPEG"
    elif data.startswith(PNG_MAGIC):
        stripped, content_type, fmt = _strip_png(data), "image/png", "PNG"
    else:
        raise ImageRefused("bad_type", "only JPEG and PNG photos are accepted")
    width, height = _decode_checked(stripped, fmt)
    return CleanImage(data=stripped, content_type=content_type, width=width, height=height)


def _decode_checked(data: bytes, fmt: str) -> tuple[int, int]:
    max_pixels = settings.PHOTO_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                width, height = image.size
                if width * height > max_pixels or max(width, height) > settings.PHOTO_MAX_SIDE:
                    raise ImageRefused(
                        "too_many_pixels", f"a photo may have at most {max_pixels} pixels"
                    )
                image.load()  # decodes every pixel: a truncated file fails here
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused("too_many_pixels", "the photo has too many pixels") from exc
    except Exception as exc:  # Pillow raises many types for broken files
        raise ImageRefused("corrupt", "the photo could not be read") from exc
    return width, height
