"""Fixtures for the notifications tests: a real SMTP server and a CM-speaking HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.notifications.fakes import CmServer, SmtpServer


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    yield server
    server.stop()


@pytest.fixture
def cm_server(settings: Any) -> Iterator[CmServer]:
    server = CmServer().start()
    settings.SMS_BACKEND = "cm"
    settings.CM_ENDPOINT = server.url
    settings.CM_PRODUCT_TOKEN = server.product_token
    settings.SMS_SENDER = "Voorbeeld"
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _public_url(settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "http://testserver"
