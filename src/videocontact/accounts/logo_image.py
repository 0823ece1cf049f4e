"""An organisation's raster logo (PNG, JPEG or WebP): checked by content, limited in bytes and
pixels before it is decoded, then decoded once and re-encoded as a small PNG by Pillow. Nothing
of the uploaded file survives but its pixels: no EXIF (with a phone's position), XMP, ICC
profile, text chunks, comments or trailing bytes, and no second frame of an animation.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 2_000_000
MAX_PIXELS = 25_000_000  # checked from the header, before any pixel is decoded
MAX_BOX = (800, 240)  # the stored logo fits this box: a header shows it 36 px high
MAX_STORED_BYTES = 400_000
FORMATS = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
}


@dataclass(frozen=True)
class CleanLogo:
    data: bytes
    content_type: str
    width: int
    height: int
    sha256: str


def _invalid(message: Any) -> ValidationError:
    return ValidationError(message, code="logo_image")


def _sniff(data: bytes) -> str | None:
    for magic, name in FORMATS.items():
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _complete(kind: str, data: bytes) -> bool:
    """Whether the file reaches its own end. Checked here because the decoder cannot be trusted
    to notice: WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process, and Pillow
    then pads a cut-off image with grey."""
    if kind == "PNG":
        return b"IEND" in data[-64:]
    if kind == "JPEG":
        return b"\xff\xd9" in data[-64:]
    return int.from_bytes(data[4:8], "little") + 8 <= len(data)  # WebP: RIFF's own length


def clean_logo(data: bytes) -> CleanLogo:
    """The logo to store, or a ValidationError that says what is wrong, in words for people."""
    if not data:
        raise _invalid(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise _invalid(_("The logo file is larger than 2 MB. Please use a smaller file."))
    kind = _sniff(data)
    if kind is None:
        raise _invalid(
            _("This file is not a PNG, JPEG or WebP image. Save the logo as PNG and try again.")
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=[kind])
            width, height = opened.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise _invalid(_("The logo has too many pixels. Please use a smaller image."))
            if not _complete(kind, data):
                raise OSError("the file ends before the image does")
            opened.seek(0)  # an animation: its first frame only
            opened.load()
            image = ImageOps.exif_transpose(opened)  # upright, as it looked; EXIF itself goes
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _invalid(_("The logo has too many pixels. Please use a smaller image.")) from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise _invalid(_("The image is damaged or incomplete. Please save it again.")) from exc
    return _encode(image)


def _encode(image: Image.Image) -> CleanLogo:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail(MAX_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A new image with no info dictionary: Pillow writes pixels and nothing else.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.save(out, format="PNG", optimize=True)
    data = out.getvalue()
    if len(data) > MAX_STORED_BYTES:
        raise _invalid(
            _("The logo is too detailed to show quickly. Please use a simpler or smaller image.")
        )
    return CleanLogo(
        data=data,
        content_type="image/png",
        width=clean.width,
        height=clean.height,
        sha256=hashlib.sha256(data).hexdigest(),
    )
