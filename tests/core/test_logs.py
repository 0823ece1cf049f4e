"""Logs: LOG_LEVEL applies to structlog's events too, and LOG_FORMAT=json gives JSON lines."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import structlog

from videocontact.core.logs import logging_config


def capture(level: str, fmt: str) -> io.StringIO:
    stream = io.StringIO()
    config = logging_config(level, fmt)
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    return stream


def teardown_function() -> None:
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def test_json_lines_with_the_event_and_its_ids() -> None:
    stream = capture("INFO", "json")
    structlog.get_logger("rooms").info("room.connected", visit="v-1", peer="p-1")
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["event"] == "room.connected" and line["visit"] == "v-1" and line["level"] == "info"
    assert line["logger"] == "rooms" and "timestamp" in line


def test_log_level_filters_structlog_events() -> None:
    stream = capture("WARNING", "json")
    structlog.get_logger("rooms").info("room.connected", visit="v-1")
    structlog.get_logger("rooms").warning("room.bad_frame", visit="v-1")
    events = [json.loads(line)["event"] for line in stream.getvalue().strip().splitlines()]
    assert events == ["room.bad_frame"]


def test_standard_library_records_are_structured_too() -> None:
    stream = capture("INFO", "json")
    logging.getLogger("django.request").warning("Not Found: %s", "/nope")
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["event"] == "Not Found: /nope" and line["logger"] == "django.request"
