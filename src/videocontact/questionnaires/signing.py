"""What a signature is bound to: canonical JSON of the answers, template version, visit and time."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import math
import struct
import zlib
from datetime import datetime
from typing import Any

from PIL import Image, UnidentifiedImageError

from videocontact.core.errors import ServiceError
from videocontact.questionnaires.answers import is_empty
from videocontact.questionnaires.definition import questions, visible_ids

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 150_000
MAX_PNG_SIDE = 2400
MAX_STROKES = 300
MAX_POINTS = 30_000


class SignatureInvalid(ServiceError, ValueError):
    code = "invalid"


def signed_answers(definition: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """Answers that were visible and filled in, in template order."""
    shown = visible_ids(definition, answers)
    return {
        q.id: answers[q.id]
        for q in questions(definition)
        if q.answerable and q.id in shown and q.id in answers and not is_empty(answers[q.id])
    }


def canonical_payload(
    *,
    visit_id: str,
    template_code: str,
    version: int,
    answers: dict[str, Any],
    signed_at: datetime,
) -> str:
    payload = {
        "answers": answers,
        "signed_at": signed_at.isoformat(),
        "template": template_code,
        "version": version,
        "visit": visit_id,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_png(data_b64: str) -> bytes:
    try:
        raw = base64.b64decode(data_b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureInvalid("the signature image is not valid base64") from exc
    if len(raw) > MAX_PNG_BYTES:
        raise SignatureInvalid("the signature image is too large")
    if len(raw) < 24 or not raw.startswith(PNG_MAGIC) or raw[12:16] != b"IHDR":
        raise SignatureInvalid("the signature image is not a PNG")
    width, height = struct.unpack(">II", raw[16:24])
    if not (0 < width <= MAX_PNG_SIDE and 0 < height <= MAX_PNG_SIDE):
        raise SignatureInvalid("the signature image has impossible dimensions")
    _decode_fully(raw)
    return raw


def _decode_fully(raw: bytes) -> None:
    """A header alone is not an image. The chunks are walked here (checksums, image data, the
    end chunk), because the decoder cannot be trusted to notice a cut-off file: WeasyPrint sets
    Pillow's LOAD_TRUNCATED_IMAGES for the whole process. Then Pillow decodes every pixel (the
    dimensions are capped above, so this is bounded)."""
    _walk_chunks(raw)
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format != "PNG":
                raise SignatureInvalid("the signature image is not a PNG")
            image.verify()
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
    except SignatureInvalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise SignatureInvalid("the signature image is not a PNG") from exc


def _walk_chunks(raw: bytes) -> None:
    pos = len(PNG_MAGIC)
    inflate = zlib.decompressobj()
    pixels = 0
    while pos + 12 <= len(raw):
        (length,) = struct.unpack(">I", raw[pos : pos + 4])
        kind = raw[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(raw):
            break
        body = raw[pos + 4 : end - 4]
        if zlib.crc32(body) != struct.unpack(">I", raw[end - 4 : end])[0]:
            raise SignatureInvalid("the signature image is not a PNG (a broken checksum)")
        if kind == b"IDAT":
            try:
                pixels += len(inflate.decompress(body[4:], MAX_PNG_SIDE * MAX_PNG_SIDE * 8))
            except zlib.error as exc:
                raise SignatureInvalid("the signature image is not a PNG") from exc
        if kind == b"IEND":
            if not pixels or not inflate.eof:
                raise SignatureInvalid("the signature image is not a PNG (no image data)")
            return  # anything after the end chunk is ignored
        pos = end
    raise SignatureInvalid("the signature image is not a PNG (it is cut off)")


def check_strokes(strokes: Any) -> list[list[list[float]]]:
    if not isinstance(strokes, list) or not strokes or len(strokes) > MAX_STROKES:
        raise SignatureInvalid("a signature needs between 1 and 300 strokes")
    total = 0
    for stroke in strokes:
        if not isinstance(stroke, list) or not stroke:
            raise SignatureInvalid("each stroke is a list of points")
        for point in stroke:
            if (
                not isinstance(point, list)
                or not 2 <= len(point) <= 3
                or not all(
                    isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                    for v in point
                )
            ):
                raise SignatureInvalid("each point is [x, y] or [x, y, t]")
        total += len(stroke)
    if total > MAX_POINTS:
        raise SignatureInvalid("the signature has too many points")
    return strokes
