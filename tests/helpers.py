"""Test helpers that are not fixtures: database scans, channel-layer listening, HTML checks."""

from __future__ import annotations

import asyncio
import json
import uuid
from html.parser import HTMLParser
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.apps import apps
from django.contrib.sessions.models import Session


def db_columns_containing(text: str) -> list[str]:
    """Every `app.Model.column` whose value contains `text`, over all rows of all tables.
    Session data is decoded first (it is stored signed and base64-encoded)."""
    hits: list[str] = []
    for model in apps.get_models():
        for row in model._default_manager.all().values():
            hits += [
                f"{model._meta.label}.{col}"
                for col, value in row.items()
                if value is not None and text in str(value)
            ]
    for session in Session.objects.all():
        if text in json.dumps(session.get_decoded(), default=str):
            hits.append("sessions.Session.session_data (decoded)")
    return hits


class GroupListener:
    """Listens on channel-layer groups from synchronous code (service tests): what would a
    consumer in these groups receive?"""

    def __init__(self, *groups: str) -> None:
        self.layer = get_channel_layer()
        assert self.layer is not None
        # A plain channel name (no "!"): channels_redis then keeps no per-event-loop receive
        # buffer for it, and every async_to_sync call below runs on a new event loop.
        self.channel = f"test-listener.{uuid.uuid4().hex}"
        for group in groups:
            async_to_sync(self.layer.group_add)(group, self.channel)

    def receive(self, count: int, *, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Exactly `count` messages (fails if they do not arrive within `timeout`)."""

        async def take() -> list[dict[str, Any]]:
            return [
                await asyncio.wait_for(self.layer.receive(self.channel), timeout)
                for _ in range(count)
            ]

        return async_to_sync(take)()

    def nothing_more(self, *, timeout: float = 0.05) -> bool:
        """True when no message is waiting. Messages are queued synchronously by group_send,
        so a short wait cannot miss one that was already sent."""

        async def peek() -> bool:
            try:
                await asyncio.wait_for(self.layer.receive(self.channel), timeout)
            except TimeoutError:
                return True
            return False

        return async_to_sync(peek)()


class _ScriptScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.inline_handlers: list[str] = []
        self.javascript_urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        for name, value in attrs:
            if name.startswith("on"):
                self.inline_handlers.append(f"<{tag} {name}>")
            if (
                name in ("href", "src", "action", "formaction")
                and value
                and value.strip().lower().startswith("javascript:")
            ):
                self.javascript_urls.append(f"<{tag} {name}={value}>")


def inline_script_problems(html: str) -> list[str]:
    """Script that the CSP (script-src 'self') would block: <script> without src (except JSON
    data blocks), on* event-handler attributes, javascript: URLs."""
    scanner = _ScriptScanner()
    scanner.feed(html)
    scanner.close()
    problems = [
        f"inline <script {attrs}>"
        for attrs in scanner.scripts
        if not attrs.get("src") and (attrs.get("type") or "").lower() != "application/json"
    ]
    return problems + scanner.inline_handlers + scanner.javascript_urls


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives
