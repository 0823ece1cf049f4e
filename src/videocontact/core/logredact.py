"""Keep invitation tokens out of every log line.

A join link is /j/<token>; whoever reads a log line with it could join the call. The access
log of uvicorn (and runserver), and Django's request warnings, name the request path: a filter
on those loggers replaces the token before any handler formats the record."""

from __future__ import annotations

import logging
import re
from typing import Any

TOKEN_IN_PATH = re.compile(r"/j/[^\s/?#\"']+")
REDACTED = "/j/[redacted]"
# The loggers that name request paths: uvicorn's access log, runserver's, Daphne's/Channels'
# and Django's 4xx/5xx warnings ("Gone: /j/...").
LOGGERS = (
    "uvicorn.access",
    "uvicorn.error",
    "django.server",
    "django.request",
    "django.channels.server",
)


def redact(value: Any) -> Any:
    if isinstance(value, str):
        return TOKEN_IN_PATH.sub(REDACTED, value)
    if isinstance(value, bytes):
        return TOKEN_IN_PATH.sub(REDACTED, value.decode("latin-1")).encode("latin-1")
    return value


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: redact(arg) for key, arg in record.args.items()}
        return True


def install() -> None:
    """Idempotent: one filter per logger, however often Django sets up."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
