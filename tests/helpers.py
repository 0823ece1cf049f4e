"""Test helpers that are not fixtures: database scans, channel-layer listening, HTML checks."""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from html.parser import HTMLParser
from typing import Any

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
    consumer in these groups receive?

    It reads on an event loop of its own (a thread) for its whole life, as a consumer does: the
    pub/sub layer delivers only to channels subscribed at the moment of sending, in the process
    and event loop that subscribed them."""

    def __init__(self, *groups: str) -> None:
        self.layer = get_channel_layer()
        assert self.layer is not None
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.channel = self._run(self.layer.new_channel())
        for group in groups:
            self._run(self.layer.group_add(group, self.channel))
        asyncio.run_coroutine_threadsafe(self._read(), self.loop)

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    async def _read(self) -> None:
        while True:
            self.inbox.put(await self.layer.receive(self.channel))

    def receive(self, count: int, *, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Exactly `count` messages (fails if they do not arrive within `timeout`)."""
        return [self.inbox.get(timeout=timeout) for _ in range(count)]

    def nothing_more(self, *, timeout: float = 0.05) -> bool:
        """True when no message arrives within `timeout` (pub/sub delivers within
        milliseconds on loopback; the list-based layer queues synchronously)."""
        time.sleep(timeout)
        return self.inbox.empty()


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
