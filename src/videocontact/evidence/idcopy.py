"""A safe copy of an identity document, as the national KopieID app makes one: the areas the
caseworker marks (the citizen service number, the passport photo) are painted over, and a
watermark "Kopie voor <organisation>, <date>, <purpose>" is burnt into the pixels. Pillow only;
nothing here looks at faces or any other biometric feature.

The watermark goes in when the ID photo is stored (no copy without it is ever kept); masking
re-encodes the image and the previous version's blob is destroyed (services in idcheck.py)."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date

from PIL import Image, ImageDraw, ImageFont

MAX_RECTS = 20
JPEG_QUALITY = 90
MASK_COLOUR = (0, 0, 0)
WATERMARK_FILL = (255, 255, 255, 110)
WATERMARK_SHADOW = (0, 0, 0, 110)
BANNER_FILL = (0, 0, 0, 200)


class MaskRefused(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int


def watermark_text(organisation: str, day: date, purpose: str) -> str:
    """The KopieID wording, in Dutch as the copy is a Dutch government record."""
    return f"Kopie voor {organisation}, {day.strftime('%d-%m-%Y')}, {purpose}"


def parse_rects(raw: object, width: int, height: int) -> list[Rect]:
    """[[x, y, w, h], ...] in image pixels; each inside the image, at least 4x4, at most 20."""
    if not isinstance(raw, list) or not raw:
        raise MaskRefused("no_areas", "mark at least one area to mask")
    if len(raw) > MAX_RECTS:
        raise MaskRefused("too_many_areas", f"at most {MAX_RECTS} areas")
    rects = []
    for item in raw:
        if (
            not isinstance(item, list)
            or len(item) != 4
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in item)
        ):
            raise MaskRefused("invalid_area", "an area is [x, y, width, height] in whole pixels")
        x, y, w, h = item
        if x < 0 or y < 0 or w < 4 or h < 4 or x + w > width or y + h > height:
            raise MaskRefused("invalid_area", "an area must lie inside the image")
        rects.append(Rect(x, y, w, h))
    return rects


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)  # no EXIF: none is passed
    return out.getvalue()


def burn_watermark(data: bytes, text: str) -> bytes:
    """Diagonal repeated text over the whole image plus a solid banner along the bottom edge."""
    image = _open(data).convert("RGBA")
    width, height = image.size
    size = max(14, min(width, height) // 18)
    font = _font(size)
    # A tile of the text, rotated, repeated over the image.
    layer = Image.new("RGBA", (width * 2, height * 2), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    left, top, right, bottom = (round(v) for v in draw.textbbox((0, 0), text, font=font))
    step_x = right - left + size * 2
    step_y = max(1, (bottom - top) * 4)
    for row, y in enumerate(range(0, height * 2, step_y)):
        offset = (row % 2) * step_x // 2
        for x in range(-step_x, width * 2, step_x):
            draw.text((x + offset + 2, y + 2), text, font=font, fill=WATERMARK_SHADOW)
            draw.text((x + offset, y), text, font=font, fill=WATERMARK_FILL)
    angle = math.degrees(math.atan2(height, width))
    layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC)
    crop_x, crop_y = (layer.width - width) // 2, (layer.height - height) // 2
    image.alpha_composite(layer.crop((crop_x, crop_y, crop_x + width, crop_y + height)))
    # The banner: the same text, readable on any background.
    banner = ImageDraw.Draw(image)
    band = (bottom - top) + size
    banner.rectangle((0, height - band, width, height), fill=BANNER_FILL)
    banner.text((size // 2, height - band + size // 2), text, font=font, fill=(255, 255, 255, 255))
    return _encode(image.convert("RGB"))


def burn_masks(data: bytes, rects: list[Rect]) -> bytes:
    """Paint every area solid black: the pixels under it are gone from the new image."""
    image = _open(data)
    draw = ImageDraw.Draw(image)
    for rect in rects:
        draw.rectangle(
            (rect.x, rect.y, rect.x + rect.width - 1, rect.y + rect.height - 1), fill=MASK_COLOUR
        )
    return _encode(image)
