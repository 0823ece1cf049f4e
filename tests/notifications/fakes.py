"""Local stand-ins that speak the real protocols: an SMTP server (aiosmtpd) and an HTTP server
implementing CM.com's Business Messaging API (`POST /v1.0/message`). Both listen on 127.0.0.1
only, on a free port; the code under test talks to them through its ordinary configuration."""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from tests.net import free_port

# SMTP ------------------------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def part(self, content_type: str) -> Any:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                return part
        raise AssertionError(f"no {content_type} part in the mail")

    def text(self) -> str:
        return str(self.part("text/plain").get_content())

    def html(self) -> str:
        return str(self.part("text/html").get_content())

    def ics(self) -> str:
        part = self.part("text/calendar")
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8")

    def link(self) -> str:
        found = re.search(r"https?://\S+/j/[A-Za-z0-9_\-]+", self.text())
        assert found, "no join link in the mail"
        return found.group(0)


class _Handler:
    def __init__(self, inbox: list[ReceivedMail], lock: threading.Lock) -> None:
        self.inbox = inbox
        self.lock = lock
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.inbox.append(
                ReceivedMail(
                    mail_from=envelope.mail_from,
                    rcpt_tos=list(envelope.rcpt_tos),
                    message=parsed,  # type: ignore[arg-type]
                )
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.inbox: list[ReceivedMail] = []
        self._lock = threading.Lock()
        self.handler = _Handler(self.inbox, self._lock)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.running = False

    def start(self) -> SmtpServer:
        self.controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:  # stopping twice (a test took it down) is fine
            self.controller.stop()
            self.running = False

    def mails_to(self, address: str) -> list[ReceivedMail]:
        with self._lock:
            return [m for m in self.inbox if address in m.rcpt_tos]


# CM.com Business Messaging API -----------------------------------------------------------------


@dataclass
class CmServer:
    """`POST /v1.0/message` as CM answers it. Checks the product token and the request shape;
    `fail_next` makes the next requests fail: ("http", 503) or ("cm", 101) or ("drop", 0)."""

    product_token: str = "00000000-0000-4000-8000-00000000c0de"
    received: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    fail_next: list[tuple[str, int]] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1.0/message"

    def start(self) -> CmServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                return

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path != "/v1.0/message":
                    self._answer(404, {"details": "Not found", "errorCode": 999, "messages": []})
                    return
                with fake._lock:
                    failure = fake.fail_next.pop(0) if fake.fail_next else None
                if failure and failure[0] == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if failure and failure[0] == "http":
                    self._answer(
                        failure[1],
                        {"details": "Service unavailable", "errorCode": 999, "messages": []},
                    )
                    return
                if "json" not in (self.headers.get("Content-Type") or ""):
                    self._reject(400, 202, "Content-Type must be application/json")
                    return
                try:
                    data = json.loads(raw)
                    messages = data["messages"]
                    auth = messages["authentication"]
                    token = auth.get("productToken") or auth.get("producttoken")
                    msgs = messages["msg"]
                    assert isinstance(msgs, list) and msgs
                except (ValueError, KeyError, TypeError, AssertionError):
                    self._reject(400, 202, "Malformed request")
                    return
                if failure and failure[0] == "cm":
                    self._reject(400, failure[1], "Refused by the test")
                    return
                if token != fake.product_token:
                    self._reject(401, 101, "Authentication of the request failed")
                    return
                answers = []
                for msg in msgs:
                    problem = fake._check_msg(msg)
                    if problem:
                        self._reject(400, 304 if "body" in problem else 305, problem)
                        return
                    answers.append(
                        {
                            "to": msg["to"][0]["number"],
                            "status": "Accepted",
                            "reference": msg.get("reference"),
                            "parts": 1 + len(msg["body"]["content"]) // 153,
                            "messageDetails": None,
                            "messageErrorCode": 0,
                        }
                    )
                with fake._lock:
                    fake.received.extend(msgs)
                self._answer(
                    200,
                    {
                        "details": f"Created {len(answers)} message(s)",
                        "errorCode": 0,
                        "messages": answers,
                    },
                )

            def _reject(self, status: int, code: int, reason: str) -> None:
                with fake._lock:
                    fake.rejected.append(reason)
                self._answer(status, {"details": reason, "errorCode": code, "messages": []})

        self.port = free_port()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True, name="fake-cm").start()
        return self

    @staticmethod
    def _check_msg(msg: dict[str, Any]) -> str:
        sender = msg.get("from")
        if not isinstance(sender, str) or not sender or len(sender) > 16:
            return "from is missing or too long"
        if not re.fullmatch(r"[A-Za-z0-9 ]{1,11}|[0-9]{1,16}", sender):
            return "from must be 11 letters/digits or 16 digits"
        to = msg.get("to")
        if not (isinstance(to, list) and len(to) == 1 and isinstance(to[0], dict)):
            return "to must be a list of one {number}"
        if not re.fullmatch(r"00[1-9][0-9]{6,14}", str(to[0].get("number", ""))):
            return "to.number must be international, 00 and digits"
        body = msg.get("body")
        if not (
            isinstance(body, dict) and isinstance(body.get("content"), str) and body["content"]
        ):
            return "body.content is missing"
        if body.get("type") not in ("auto", "plain", "unicode", None):
            return "body.type is unknown"
        reference = msg.get("reference")
        if reference is not None and not re.fullmatch(r"[A-Za-z0-9]{1,32}", str(reference)):
            return "reference must be 1-32 letters/digits"
        if msg.get("allowedChannels") not in (None, ["SMS"]):
            return "allowedChannels must be SMS"
        return ""

    def texts_to(self, e164: str) -> list[str]:
        number = "00" + e164.removeprefix("+")
        with self._lock:
            return [m["body"]["content"] for m in self.received if m["to"][0]["number"] == number]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
