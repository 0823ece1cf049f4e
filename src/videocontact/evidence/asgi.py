"""An ASGI guard for photo uploads: refuse an oversized (or unsized) body before Django reads it.

Django's ASGI handler reads the whole request body (spooling to disk past
FILE_UPLOAD_MAX_MEMORY_SIZE) before any view runs, whatever DATA_UPLOAD_MAX_MEMORY_SIZE says; that
setting is only checked when `request.body` or a form is read. So the limit for the upload path is
enforced here, from the Content-Length header, without reading the body at all. The server
(uvicorn/h11) never hands the application more bytes than Content-Length announced.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings

UPLOAD_PATH = re.compile(r"^/v/[0-9a-fA-F-]{36}/photos$")

Scope = dict[str, Any]


def _refusal(status: int, code: str, message: str) -> tuple[dict[str, Any], dict[str, Any]]:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            (b"connection", b"close"),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


def limit_photo_uploads(app: Any) -> Any:
    async def guarded(scope: Scope, receive: Any, send: Any) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and UPLOAD_PATH.match(scope["path"])
        ):
            length = None
            for name, value in scope.get("headers", []):
                if name == b"content-length":
                    try:
                        length = int(value)
                    except ValueError:
                        length = None
            refusal = None
            if length is None:
                refusal = _refusal(411, "length_required", "send the photo with a Content-Length")
            elif length > settings.PHOTO_MAX_BYTES:
                refusal = _refusal(
                    413, "too_large", f"a photo may be at most {settings.PHOTO_MAX_BYTES} bytes"
                )
            if refusal is not None:
                for message in refusal:
                    await send(message)
                return
        await app(scope, receive, send)

    return guarded
