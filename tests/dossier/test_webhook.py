"""The signed webhook, delivered to a receiver on loopback that checks the HMAC itself."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.dossier.conftest import make_ready_report
from videocontact.accounts.models import Process
from videocontact.dossier import webhook
from videocontact.dossier.models import Export, ExportTarget, TargetKind
from videocontact.dossier.services import target_save
from videocontact.jobs.services import run_due
from videocontact.privacy.models import RetentionClock
from videocontact.reports.models import Report
from videocontact.reports.signals import report_ready

pytestmark = pytest.mark.django_db

SECRET = "whsec-test-0123456789abcdef"


class Receiver:
    """Verifies like a third party would (its own code, not ours): HMAC-SHA256 over
    "<t>.<body>", constant-time compare, at most 5 minutes old, each delivery once."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.accepted: list[dict[str, Any]] = []
        self.refused: list[str] = []
        self.seen: set[str] = set()
        self.status_override: int | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.check(self.headers.get("Videocontact-Signature", ""), body)
                if status == 200 and receiver.status_override:
                    status = receiver.status_override
                elif status == 200:
                    delivery = self.headers["Videocontact-Delivery"]
                    if delivery not in receiver.seen:
                        receiver.seen.add(delivery)
                        receiver.accepted.append(json.loads(body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks/videocontact"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def check(self, header: str, body: bytes) -> int:
        parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        if "t" not in parts or "v1" not in parts:
            self.refused.append("no signature")
            return 400
        mac = hmac.new(self.secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256)
        if not hmac.compare_digest(mac.hexdigest(), parts["v1"]):
            self.refused.append("bad signature")
            return 401
        if abs(time.time() - int(parts["t"])) > 300:
            self.refused.append("too old")
            return 401
        return 200

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver(SECRET)
    yield server
    server.stop()


def hook_target(process: Process, url: str, secret: str = SECRET) -> ExportTarget:
    target = ExportTarget(process=process, kind=TargetKind.WEBHOOK, name="Archief", webhook_url=url)
    return target_save(target=target, secret=secret, by_user=None)


def test_webhook_delivers_report_and_metadata_signed(
    process: Process, receiver: Receiver, report: Report, photos: list[Any]
) -> None:
    hook_target(process, receiver.url)
    report_ready.send(sender=Report, report=report)
    run_due()

    export = Export.objects.get()
    assert export.state == "sent"
    (payload,) = receiver.accepted
    pdf = base64.b64decode(payload["report"]["content_base64"])
    assert hashlib.sha256(pdf).hexdigest() == report.sha256 == payload["report"]["sha256"]
    assert payload["visit"]["case_reference"] == report.visit.case_reference
    assert [p["sha256"] for p in payload["photos"]] == [p.sha256 for p in photos]
    assert payload["delivery"] == str(export.pk)
    assert RetentionClock.objects.filter(visit=report.visit, reason="exported").exists()
    # The audit trail names the receiver's host, never its URL (which may carry a token).
    from videocontact.privacy.models import AuditEvent

    delivered = AuditEvent.objects.get(action="export.webhook_delivered")
    assert delivered.data["host"] == "127.0.0.1" and "url" not in delivered.data


def test_wrong_secret_fails_verification(
    process: Process, receiver: Receiver, report: Report
) -> None:
    hook_target(process, receiver.url, secret="not-the-shared-secret")
    report_ready.send(sender=Report, report=report)
    run_due()
    export = Export.objects.get()
    assert receiver.accepted == [] and receiver.refused == ["bad signature"]
    assert export.state == "failed" and "HTTP 401" in export.error
    assert not RetentionClock.objects.exists()


def test_receiver_down_is_retried(process: Process, receiver: Receiver, report: Report) -> None:
    from datetime import timedelta

    from django.utils import timezone

    hook_target(process, receiver.url)
    receiver.status_override = 503
    report_ready.send(sender=Report, report=report)
    run_due()
    export = Export.objects.get()
    assert export.state == "retrying"
    receiver.status_override = None
    run_due(now=timezone.now() + timedelta(hours=1))
    export.refresh_from_db()
    assert export.state == "sent" and len(receiver.accepted) == 1


def test_verify_refuses_tampering_wrong_secret_and_replays() -> None:
    body = b'{"a":1}'
    now = 1_800_000_000
    header = webhook.signature(SECRET, now, body)
    assert webhook.verify(SECRET, header, body, now=now + 10)
    assert not webhook.verify("other", header, body, now=now + 10)
    assert not webhook.verify(SECRET, header, b'{"a":2}', now=now + 10)
    assert not webhook.verify(SECRET, header, body, now=now + 301)  # a replay, later
    assert not webhook.verify(SECRET, "v1=abc", body, now=now)


def test_download_only_starts_retention_when_the_report_is_ready(
    process: Process, case_visit: Any
) -> None:
    ExportTarget.objects.create(process=process, kind=TargetKind.DOWNLOAD, name="Download")
    report = make_ready_report(case_visit)
    report_ready.send(sender=Report, report=report)
    clock = RetentionClock.objects.get(visit=case_visit)
    assert clock.reason == "report_ready" and clock.started_at == report.ready_at
    assert not Export.objects.exists()
